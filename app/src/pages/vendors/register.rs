//! The vendor's subprocessor register on its page: the rows with what each raises (a
//! subprocessor added without the contract's notice, personal data leaving the client's
//! region without adequacy or a mechanism), kept by the client from a register received by
//! email (Procurement, Admin). Downloaded with the page but as its own part, so the page
//! shows before it.

use leptos::prelude::*;

/// The register card.
#[component]
#[cfg(feature = "client")]
pub fn SubprocessorRegister(vendor_id: uuid::Uuid, can_edit: bool) -> impl IntoView {
    use part::register_part;
    view! {
        <section class="card" aria-labelledby="register-heading" data-testid="subprocessors">
            <h2 id="register-heading">"Subprocessors"</h2>
            <crate::components::lazy::OnDemand what="The subprocessor register"
                load=Box::new(move || Box::pin(register_part(vendor_id, can_edit))) />
        </section>
    }
}

/// Without the client app (the portal's build) there is no vendor page: a split point is an
/// exported function the linker keeps, so the register's would weigh on the portal's first
/// download.
#[component]
#[cfg(not(feature = "client"))]
pub fn SubprocessorRegister(vendor_id: uuid::Uuid, can_edit: bool) -> impl IntoView {
    let _ = (vendor_id, can_edit);
}

#[cfg(feature = "client")]
mod part {
    use assay_core::api::RegisterView;
    use assay_core::subprocessor::Subprocessor;
    use leptos::prelude::*;

    use crate::api::{self, ApiError};
    use crate::components::lazy::NotLoaded;
    use crate::components::status::{ErrorNotice, Loading};
    use crate::components::subprocessors::{RegisterTable, SubprocessorForm};

    #[leptos::wasm_split::wasm_split(vendor_register, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub(super) fn register_part(
        vendor_id: uuid::Uuid,
        can_edit: bool,
    ) -> Result<AnyView, NotLoaded> {
        Ok(view! { <Register vendor_id can_edit /> }.into_any())
    }

    #[component]
    fn Register(vendor_id: uuid::Uuid, can_edit: bool) -> impl IntoView {
        let loaded = LocalResource::new(move || api::register(vendor_id));
        view! {
            <Suspense fallback=|| view! { <Loading label="Loading the register…" /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(register) => view! { <Editable vendor_id register can_edit /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    }

    #[component]
    fn Editable(vendor_id: uuid::Uuid, register: RegisterView, can_edit: bool) -> impl IntoView {
        let current = RwSignal::new(register);
        let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
        let saved: RwSignal<Option<String>> = RwSignal::new(None);
        let save = Action::new_local(move |(rows, note): &(Vec<Subprocessor>, String)| {
            let (rows, note) = (rows.clone(), note.clone());
            async move { api::put_register(vendor_id, &rows).await.map(|r| (r, note)) }
        });
        Effect::new(move |_| match save.value().get() {
            Some(Ok((register, note))) => {
                error.set(None);
                saved.set(Some(note));
                current.set(register);
            }
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        });
        let rows = move || {
            current.with(|r| {
                r.subprocessors
                    .iter()
                    .map(|s| s.entry.clone())
                    .collect::<Vec<_>>()
            })
        };
        let on_add = Callback::new(move |row: Subprocessor| {
            let note = format!("{} added.", row.name);
            let mut all = rows();
            all.retain(|r| !r.name.eq_ignore_ascii_case(&row.name));
            all.push(row);
            save.dispatch((all, note));
        });
        let on_remove = Callback::new(move |name: String| {
            let mut all = rows();
            all.retain(|r| r.name != name);
            save.dispatch((all, format!("{name} removed.")));
        });
        view! {
            <p class="muted small">{move || current.with(|r| match &r.client_country {
                Some(_) => "Transfers are judged from your organisation's region, against the adequacy lists in Regulations.",
                None => "Set your organisation's country in Regulations to have transfers judged; until then only the contract's change notice is checked.",
            })}</p>
            {move || {
                let rows = current.with(|r| r.subprocessors.clone());
                if can_edit {
                    view! { <RegisterTable rows on_remove /> }.into_any()
                } else {
                    view! { <RegisterTable rows /> }.into_any()
                }
            }}
            <p class="save-note" role="status" data-testid="register-saved">{move || saved.get()}</p>
            {can_edit.then(|| view! {
                <details class="add-subprocessor">
                    <summary>"Add a subprocessor"</summary>
                    <SubprocessorForm on_add pending=save.pending() error submit="Add to the register" />
                </details>
            })}
        }
    }
}
