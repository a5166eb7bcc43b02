//! Entity → response DTO conversions: responses never expose entity models directly.

use assay_core::access::Role;
use assay_core::api::{
    AuditEntryView, Me, OrganizationView, OutboxEmailView, UserStatus, UserView,
};

use crate::db::entities::{audit_log, organization, outbox, user};

pub fn user(model: &user::Model) -> UserView {
    UserView {
        id: model.id,
        email: model.email.clone(),
        display_name: model.display_name.clone(),
        // Roles are written only from the enum, so an unknown name is a corrupted row; it
        // is shown with the least privilege rather than failing the whole list.
        role: model.role.parse().unwrap_or(Role::Auditor),
        active: model.active,
        has_password: model.password_hash.is_some(),
        mfa_enabled: model.mfa_enabled,
        status: UserStatus::of(
            model.active,
            model.password_hash.is_some(),
            model.signed_in_with_sso,
        ),
    }
}

/// A user who has just signed in, with their organisation.
pub fn me(user: &user::Model, org: &organization::Model) -> Me {
    Me {
        user: self::user(user),
        mfa_enrolment_required: org.require_mfa && !user.mfa_enabled,
        organization: organization(org),
    }
}

pub fn organization(model: &organization::Model) -> OrganizationView {
    OrganizationView {
        id: model.id,
        slug: model.slug.clone(),
        name: model.name.clone(),
        require_mfa: model.require_mfa,
        time_zone: model.time_zone.clone(),
    }
}

pub fn audit_entry(model: audit_log::Model) -> AuditEntryView {
    AuditEntryView {
        id: model.id,
        seq: model.seq,
        occurred_at: model.occurred_at,
        actor: model.actor,
        actor_id: model.actor_id,
        action_label: crate::services::audit::Action::parse(&model.action)
            .map_or_else(|| model.action.clone(), |a| a.label().to_owned()),
        action: model.action,
        target_type: model.target_type,
        target_id: model.target_id,
        request_id: model.request_id,
        detail: serde_json::from_str(&model.detail).unwrap_or(serde_json::Value::Null),
        hash: model.hash,
    }
}

pub fn outbox_email(model: outbox::Model) -> OutboxEmailView {
    OutboxEmailView {
        id: model.id,
        recipient: model.recipient,
        subject: model.subject,
        status: model.status,
        kind: model.kind,
        attempts: u32::try_from(model.attempts).unwrap_or_default(),
        next_attempt_at: model.next_attempt_at.map(rfc3339),
        last_error: model.last_error,
        sent_at: model.sent_at.map(rfc3339),
        created_at: rfc3339(model.created_at),
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    crate::services::rfc3339(t)
}
