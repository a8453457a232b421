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
    // The README's table and assign examples.
    let t = get(&app, "/v1/table?sources=Xian,Chongqing&targets=Duisburg,Malaszewicze&optimize=time").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.json["hours"][0][0].as_f64().unwrap() > 0.0, "{}", t.text);
    let a = get(&app, "/v1/assign?growth=titr-2029-target&top=10").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(
        (a.json["growth"].as_str(), a.json["bottlenecks"].as_array().unwrap().len()),
        (Some("titr-2029-target"), 10)
    );
    let l = get(&app, "/v1/locations?q=%E8%A5%BF%E5%AE%89").await; // 西安
    assert_eq!(l.json["locations"][0]["id"], "CNXIA");
}
