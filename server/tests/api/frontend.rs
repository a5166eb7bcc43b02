use crate::helpers::spawn_app;

#[tokio::test]
async fn client_side_routes_get_the_web_app_page_not_a_json_error() {
    let app = spawn_app().await;

    let response = app.get("/vendors/some-client-route").await;

    // 200 with the app when the frontend has been built, 503 with an explanation when the
    // server was compiled without it; never the API's JSON 404.
    assert!(
        response.status() == 200 || response.status() == 503,
        "status {}",
        response.status()
    );
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let body = response.text().await.expect("text");
    assert!(body.contains("Assay"), "{body}");
}

#[tokio::test]
async fn the_portal_is_its_own_page_with_its_own_smaller_bundle() {
    let app = spawn_app().await;
    let main = app.get("/").await;
    if main.status() == 503 {
        // Compiled without the web app: nothing to check beyond the explanation page.
        assert_eq!(app.get("/portal").await.status(), 503);
        return;
    }
    let main_body = main.text().await.expect("text");

    let portal = app.get("/portal").await;

    assert_eq!(portal.status(), 200);
    let body = portal.text().await.expect("text");
    assert!(
        body.contains("assay-portal"),
        "the portal page loads the portal bundle: {body}"
    );
    assert!(
        !body.contains("assay-frontend"),
        "not the client app: {body}"
    );
    assert!(main_body.contains("assay-frontend"), "{main_body}");
    let script = body
        .split('"')
        .find(|s| s.starts_with("/portal-app/") && s.ends_with(".js"))
        .unwrap_or_else(|| panic!("a script under /portal-app/: {body}"));
    let asset = app.get(script).await;
    assert_eq!(asset.status(), 200, "{script}");
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable"),
        "hashed portal assets are cached for good"
    );
}

#[tokio::test]
async fn assets_are_sent_as_the_build_compressed_them_and_cached_for_good() {
    let app = spawn_app().await;
    let index = app.get("/").await;
    if index.status() == 503 {
        return; // compiled without the web app: no assets to serve
    }
    let page = index.text().await.expect("text");
    let script = page
        .split('"')
        .find(|s| s.starts_with("/assay-frontend-") && s.ends_with("/assay-frontend.js"))
        .unwrap_or_else(|| panic!("the page loads the split bundle's script: {page}"))
        .to_owned();
    let dist = crate::helpers::in_crate("../dist");
    let on_disk = |suffix: &str| {
        std::fs::read(dist.join(format!("{}{suffix}", script.trim_start_matches('/'))))
            .unwrap_or_else(|e| panic!("{script}{suffix} in dist/: {e}"))
    };
    let client = crate::helpers::new_client();
    for (accept, coding, suffix) in [
        ("gzip, deflate, br, zstd", Some("br"), ".br"),
        ("gzip", Some("gzip"), ".gz"),
        ("identity", None, ""),
    ] {
        let response = client
            .get(app.url(&script))
            .header("accept-encoding", accept)
            .send()
            .await
            .expect("the script is served");
        assert_eq!(response.status(), 200, "{script} with {accept}");
        let headers = response.headers().clone();
        assert_eq!(
            headers
                .get("content-encoding")
                .map(|v| v.to_str().expect("ascii")),
            coding,
            "Accept-Encoding: {accept} gets the build's {coding:?} copy"
        );
        assert_eq!(
            headers["vary"], "accept-encoding",
            "caches keep one copy per coding"
        );
        assert!(
            headers["cache-control"]
                .to_str()
                .expect("ascii")
                .contains("immutable"),
            "files in a hashed directory are cached for good"
        );
        assert!(
            headers["content-type"]
                .to_str()
                .expect("ascii")
                .contains("javascript"),
            "the type is the file's, not the coding's: {:?}",
            headers["content-type"]
        );
        let body = response.bytes().await.expect("body");
        assert_eq!(
            body.as_ref(),
            on_disk(suffix).as_slice(),
            "the bytes are the build's {suffix:?} file, sent as they are"
        );
    }
}

#[tokio::test]
async fn parts_are_sent_compressed_with_the_main_module_to_a_browser_that_kept_it() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    use std::io::Read;

    let app = spawn_app().await;
    let index = app.get("/").await;
    if index.status() == 503 {
        return; // compiled without the web app: no assets to serve
    }
    let page = index.text().await.expect("text");
    let main = page
        .split('"')
        .find(|s| s.starts_with("/assay-frontend-") && s.ends_with("_bg.wasm"))
        .unwrap_or_else(|| panic!("the page preloads the bundle's main module: {page}"))
        .to_owned();
    let (dir, _) = main.rsplit_once('/').expect("in a directory");
    let on_disk = crate::helpers::in_crate("../dist").join(dir.trim_start_matches('/'));
    let read = |name: &str| {
        std::fs::read(on_disk.join(name)).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
    };
    let mut copies: Vec<String> = std::fs::read_dir(&on_disk)
        .expect("the bundle's directory")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".dcb").map(str::to_owned)
        })
        .collect();
    copies.sort();
    let part = copies
        .first()
        .unwrap_or_else(|| panic!("the release build writes .dcb copies in {dir}"))
        .clone();
    let client = crate::helpers::new_client();

    let response = client
        .get(app.url(&main))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .expect("the main module is served");
    assert_eq!(
        response.headers()["use-as-dictionary"],
        format!("match=\"{dir}/*\"").as_str(),
        "the main module is offered as the dictionary for its directory"
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable"),
        "a dictionary must be cacheable to be kept"
    );
    let dictionary = read(main.rsplit_once('/').expect("a name").1);
    let offered = format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&dictionary))
    );

    let ask = |accept: &'static str, available: String| {
        let client = client.clone();
        let url = app.url(&format!("{dir}/{part}"));
        async move {
            client
                .get(url)
                .header("accept-encoding", accept)
                .header("available-dictionary", available)
                .send()
                .await
                .expect("the part is served")
        }
    };
    let response = ask("gzip, deflate, br, zstd, dcb, dcz", offered.clone()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-encoding"],
        "dcb",
        "{part}: a browser holding the main module gets the dictionary-compressed copy"
    );
    assert_eq!(
        response.headers()["vary"],
        "accept-encoding, available-dictionary",
        "caches keep one copy per coding and dictionary"
    );
    assert_eq!(
        response.headers()["cache-control"],
        "private, max-age=31536000, immutable",
        "kept by the browser that holds the dictionary, never by a shared cache"
    );
    let body = response.bytes().await.expect("body");
    assert_eq!(
        body.as_ref(),
        read(&format!("{part}.dcb")).as_slice(),
        "the build's .dcb file, sent as it is"
    );
    assert_eq!(&body[..4], &[0xff, 0x44, 0x43, 0x42], "the dcb magic");
    assert_eq!(
        &body[4..36],
        &Sha256::digest(&dictionary)[..],
        "the body names the main module as its dictionary"
    );
    let mut decoded = Vec::new();
    brotli::Decompressor::new_with_custom_dict(&body[36..], 4096, dictionary.clone().into())
        .read_to_end(&mut decoded)
        .expect("a brotli stream over the dictionary");
    assert!(
        decoded == read(&part),
        "{part}: decoded with the main module, the copy is the part"
    );

    let elsewhere = format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"another build"))
    );
    for (accept, available, why) in [
        (
            "gzip, deflate, br, zstd, dcb, dcz",
            elsewhere,
            "another dictionary",
        ),
        ("gzip, deflate, br, zstd", offered, "dcb not accepted"),
    ] {
        let response = ask(accept, available).await;
        assert_eq!(
            response.headers()["content-encoding"],
            "br",
            "{why}: the plain brotli copy"
        );
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{why}: the plain copy may be kept by any cache"
        );
    }
}
