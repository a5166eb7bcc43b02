//! Parts of the app downloaded when first needed (split points of the wasm module, cut by
//! `scripts/build-wasm`), and what a person sees when such a download fails. Without this a
//! failed download would abort the whole wasm module: the page would freeze with no word.

use leptos::prelude::*;

/// A part of the app could not be downloaded: the connection dropped, or the server now
/// runs a newer build whose files have other names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Said in place of a part that could not be downloaded, with a button to try again.
#[component]
pub fn NotLoadedNotice(
    /// What could not be loaded, as a person names it ("This page").
    #[prop(into)]
    what: String,
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert" data-testid="not-loaded">
            <p>{format!("{what} could not be loaded. Check your connection, then try again.")}</p>
            <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
        </div>
    }
}

/// Downloading and rendering a part: what [`OnDemand`] calls, once and on each retry.
pub type PartFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, NotLoaded>> + Send>>;

/// A part downloaded when it is first shown: a loading line meanwhile, and if the download
/// fails, [`NotLoadedNotice`] in its place, whose button tries again. The rest of the page
/// goes on either way. `load` is a boxed closure rather than a generic parameter, so the
/// component (and the `Suspense` inside) is compiled once, not once per part.
#[component]
pub fn OnDemand(
    /// What is being loaded, as a person names it ("The evidence form").
    what: &'static str,
    /// Calls the split point that downloads and renders the part.
    load: Box<dyn Fn() -> PartFuture + Send + Sync>,
) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let part = load();
        view! {
            <Suspense fallback=|| view! { <crate::components::status::Loading label="Loading…" /> }>
                {Suspend::new(async move {
                    part.await.unwrap_or_else(|NotLoaded| {
                        let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
                        view! { <NotLoadedNotice what retry /> }.into_any()
                    })
                })}
            </Suspense>
        }
    }
}
