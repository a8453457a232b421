//! The server on the embedded default dataset, as `corridor serve` starts with no arguments.

use super::*;

#[tokio::test]
async fn serves_the_embedded_dataset() {
    let (_, app) = server(ServerConfig::default());
    let h = get(&app, "/health").await;
    assert_eq!(h.json["dataset"]["origin"], "<embedded eurasia>");
    let r = get(&app, "/v1/route?from=Xi%27an&to=Duisburg&optimize=time").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json["from"]["id"].as_str(), r.json["to"]["id"].as_str()), (Some("CNXIA"), Some("DEDUI")));
    let c = get(&app, "/v1/compare?from=CNXIA&to=DEDUI").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert!(c.json["corridors"].as_array().unwrap().len() >= 3);
    let l = get(&app, "/v1/locations?q=%E8%A5%BF%E5%AE%89").await; // 西安
    assert_eq!(l.json["locations"][0]["id"], "CNXIA");
}
