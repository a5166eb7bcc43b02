//! `/vendor-answers`: a vendor who answered in Excel answers from a workbook, on the same
//! portal session (no account). A page of the main app, so the portal's own first download
//! carries none of it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AnswersFrom;
use crate::components::answer_import::AnswerImport;

#[component]
pub fn VendorAnswersPage() -> impl IntoView {
    view! {
        <Title text="Answer in a spreadsheet" />
        <p><a href="/portal" rel="external">"Back to the questionnaire"</a></p>
        <h1>"Answer in a spreadsheet"</h1>
        <AnswerImport to=AnswersFrom::Portal back=("/portal".to_owned(), "Back to the questionnaire") />
    }
}
