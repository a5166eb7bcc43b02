//! Who is signed in, shared by every page through context.

use assay_core::access::{Permission, Role};
use assay_core::api::Me;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// The signed-in user (if any) and whether the first check has finished.
#[derive(Clone, Copy)]
pub struct Auth {
    pub me: RwSignal<Option<Me>>,
    pub checked: RwSignal<bool>,
}

impl Auth {
    /// The signed-in user's role.
    pub fn role(&self) -> Option<Role> {
        self.me.with(|me| me.as_ref().map(|m| m.user.role))
    }

    /// Who is signed in now; times are shown in their organisation's time zone from here on.
    pub fn set_me(&self, me: Option<Me>) {
        if let Some(me) = &me {
            crate::components::format::set_time_zone(&me.organization.time_zone);
        }
        self.me.set(me);
    }

    /// Whether the signed-in user may do `permission` (the server decides for real).
    pub fn can(&self, permission: Permission) -> bool {
        self.role().is_some_and(|r| r.can(permission))
    }
}

/// Creates the context and asks the server who is signed in.
pub fn provide_auth() {
    let auth = Auth {
        me: RwSignal::new(None),
        checked: RwSignal::new(false),
    };
    provide_context(auth);
    spawn_local(async move {
        if let Ok(me) = api::me().await {
            auth.set_me(me);
        }
        auth.checked.set(true);
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
