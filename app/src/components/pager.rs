//! Paged lists: the cursors, the page shown and its count ([`PagedList`]), and the pager
//! under a list: Previous, "Page X of Y", Next.

use std::future::Future;

use assay_core::api::CursorPage;
use leptos::html;
use leptos::prelude::*;

use crate::api::ApiError;

/// The cursors of a keyset-paged list (`after=`): page 1 starts at the top, and each page,
/// once loaded, tells where the next one starts. [`Pager`] steps one page at a time, so
/// the cursor of the page asked for is always known.
#[derive(Clone, Copy)]
struct Cursors(StoredValue<Vec<Option<String>>>);

impl Default for Cursors {
    fn default() -> Self {
        Cursors(StoredValue::new(vec![None]))
    }
}

impl Cursors {
    /// Back to the top (after a filter changes).
    fn reset(&self) {
        self.0.set_value(vec![None]);
    }

    /// The `after` query of 1-based `page`, `""` for the first.
    fn query(&self, page: u64) -> String {
        let index = usize::try_from(page.saturating_sub(1)).unwrap_or_default();
        self.0
            .with_value(|c| c.get(index).cloned().flatten())
            .map(|after| format!("&after={}", crate::api::encode(&after)))
            .unwrap_or_default()
    }

    /// `page` loaded; the next one starts at `next`.
    fn learn(&self, page: u64, next: Option<String>) {
        let index = usize::try_from(page.max(1)).unwrap_or(1);
        self.0.update_value(|c| {
            c.truncate(index);
            c.push(next);
        });
    }
}

/// A keyset-paged list as the pages show it: the page asked for, that page once loaded, and
/// the number of pages (the last known count, kept while the next page loads so the pager
/// stays put).
pub struct PagedList<T: 'static> {
    pub page: RwSignal<u64>,
    pub loaded: LocalResource<Result<CursorPage<T>, ApiError>>,
    pub pages: Memo<u64>,
    cursors: Cursors,
}

impl<T: 'static> Clone for PagedList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for PagedList<T> {}

impl<T: Send + Sync + 'static> PagedList<T> {
    /// Loads `per_page` rows at a time with `fetch`, which gets the paging part of the query
    /// (`limit=…`, and `&after=…` past the first page) and adds its own filters; the signals
    /// it reads reload the list when they change.
    pub fn new<Fut>(per_page: u64, fetch: impl Fn(String) -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<CursorPage<T>, ApiError>> + 'static,
    {
        let page = RwSignal::new(1u64);
        let cursors = Cursors::default();
        let loaded = LocalResource::new(move || {
            let shown = page.get();
            let request = fetch(format!("limit={per_page}{}", cursors.query(shown)));
            async move {
                let loaded = request.await;
                if let Ok(loaded) = &loaded {
                    cursors.learn(shown, loaded.next.clone());
                }
                loaded
            }
        });
        let pages = Memo::new(move |previous: Option<&u64>| {
            loaded.with(|loaded| match loaded {
                Some(Ok(list)) => page_count(list.total, per_page),
                _ => previous.copied().unwrap_or(1),
            })
        });
        PagedList {
            page,
            loaded,
            pages,
            cursors,
        }
    }

    /// Back to the first page, before the filters change (a cursor belongs to one filter
    /// and order).
    pub fn restart(&self) {
        self.cursors.reset();
        // Only when it moves: setting it always would fetch the first page twice.
        if self.page.get_untracked() != 1 {
            self.page.set(1);
        }
    }
}

/// The number of pages `total` items fill at `per_page` a page (at least one).
pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// Previous / "Page X of Y" / Next for a paged list. `page` is the 1-based page shown and
/// is what the buttons change; the list reloads when it does. Hidden while everything fits
/// on one page.
///
/// Render it outside the list's `Suspense`/`Transition` so it stays put while a page loads:
/// then the button a keyboard user pressed keeps the focus, and when it becomes disabled
/// at either end the focus moves to the other one instead of falling back to the page.
#[component]
pub fn Pager(
    page: RwSignal<u64>,
    /// How many pages there are.
    #[prop(into)]
    pages: Signal<u64>,
    /// The name of the navigation landmark, e.g. "Vendor list pages".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let previous_button = NodeRef::<html::Button>::new();
    let next_button = NodeRef::<html::Button>::new();
    let go = move |to: u64| {
        let last = pages.get_untracked().max(1);
        let to = to.clamp(1, last);
        page.set(to);
        // The pressed button is disabled at either end: hand the focus to the other one.
        // After the next frame: the other one may itself still be disabled until the page
        // change reaches the DOM (going from the first page to the last of two), and a
        // disabled button ignores `focus()`.
        let other = if to == 1 {
            next_button.get_untracked()
        } else if to == last {
            previous_button.get_untracked()
        } else {
            None
        };
        if let Some(button) = other {
            request_animation_frame(move || {
                let _ = button.focus();
            });
        }
    };
    view! {
        <Show when=move || { pages.get() > 1 }>
            <nav class="pager" aria-label=label.clone() data-testid="pager">
                <button
                    type="button"
                    class="button-secondary"
                    node_ref=previous_button
                    aria-label="Previous page"
                    disabled=move || { page.get() <= 1 }
                    on:click=move |_| go(page.get_untracked().saturating_sub(1))
                >
                    "Previous"
                </button>
                <span class="pager-status" aria-live="polite" data-testid="pager-status">
                    {move || format!("Page {} of {}", page.get(), pages.get().max(1))}
                </span>
                <button
                    type="button"
                    class="button-secondary"
                    node_ref=next_button
                    aria-label="Next page"
                    disabled=move || { page.get() >= pages.get() }
                    on:click=move |_| go(page.get_untracked() + 1)
                >
                    "Next"
                </button>
            </nav>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::page_count;

    #[test]
    fn sixty_items_at_twenty_five_a_page_fill_three_pages() {
        assert_eq!(page_count(60, 25), 3, "25 + 25 + 10");
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        assert_eq!(page_count(0, 25), 1, "page 1 of 1, never of 0");
    }

    #[test]
    fn a_full_last_page_adds_no_empty_one() {
        assert_eq!(page_count(50, 25), 2, "exactly two full pages");
    }
}
