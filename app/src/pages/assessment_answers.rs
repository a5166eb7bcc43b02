//! `/assessments/{id}/answers`: answers a vendor sent back by email (a filled-in workbook),
//! entered by someone who may send questionnaires, while the questionnaire is with the
//! vendor. The same steps as the vendor's own spreadsheet page; the answers are stored and
//! audited as this user's.

use assay_core::access::Permission;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, AnswersFrom};
use crate::auth::use_auth;
use crate::components::answer_import::AnswerImport;
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::{assessment_href, vendor_href};

#[component]
pub fn AssessmentAnswersPage() -> impl IntoView {
    let id = crate::routes::id_param();
    let loaded = LocalResource::new(move || api::by_id(id(), api::assessment));
    let can_send = use_auth().can(Permission::SendAssessments);
    view! {
        <Title text="Answers from a workbook" />
        <Suspense fallback=|| view! { <Loading label="Loading the assessment…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(a) => {
                        let back = assessment_href(a.id);
                        let body = if !can_send {
                            view! { <div class="alert alert-error" role="alert"><p>"Entering answers needs the permission to send questionnaires."</p></div> }.into_any()
                        } else if !a.status.vendor_can_answer() {
                            view! { <div class="alert alert-info" role="status"><p>"This questionnaire is no longer with the vendor, so answers can no longer be entered."</p></div> }.into_any()
                        } else {
                            view! { <AnswerImport to=AnswersFrom::Assessment(a.id) back=(back.clone(), "Back to the assessment") /> }.into_any()
                        };
                        view! {
                            <p class="muted"><a href=vendor_href(a.vendor_id)>{a.vendor_name.clone()}</a>
                                " · " <a href=back.clone()>{a.title.clone()}</a></p>
                            <h1>"Answers from a workbook"</h1>
                            {body}
                        }.into_any()
                    }
                    Err(error) => view! { <h1>"Answers from a workbook"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
