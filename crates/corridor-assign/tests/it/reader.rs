//! The TNTP reader: well-formed variants parse, malformed input gives file:line: field errors.

use corridor_assign::tntp::{ReadError, parse_flows, parse_net, parse_nodes, parse_trips};

const NET: &str = "<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 3
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
\t1\t3\t100\t1\t2.5\t0.15\t4\t0\t0\t1\t;
\t3\t2\t100\t1\t2.5\t0.15\t4 ;
3 1 50 1 1 0.15 4 0 0 1; ~ trailing comment
";

const TRIPS: &str = "<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 30.0
<END OF METADATA>

Origin \t1
    1 :      0.0;     2 :    10.0;
Origin 2
 1 : 20;
";

/// The message of a parse error, or panics if parsing succeeded.
#[track_caller]
fn message<T: std::fmt::Debug>(r: Result<T, ReadError>) -> String {
    let e = r.expect_err("expected a parse error");
    assert!(matches!(e, ReadError::Parse { .. }));
    e.to_string()
}

#[test]
fn parses_net_and_trips() {
    let net = parse_net("t_net.tntp", NET).unwrap();
    assert_eq!((net.num_zones, net.num_nodes, net.first_thru_node, net.links.len()), (2, 3, 3, 3));
    let l = &net.links[1];
    assert_eq!(
        (l.from, l.to, l.capacity, l.free_flow_time, l.speed, l.link_type, l.line),
        (3, 2, 100.0, 2.5, 0.0, 0, 9)
    );
    let n = net.to_network().unwrap();
    assert_eq!(n.first_thru_node(), 2);
    let trips = parse_trips("t_trips.tntp", TRIPS).unwrap();
    assert_eq!(trips.declared_total, Some(30.0));
    assert_eq!((trips.od.get(0, 1), trips.od.get(1, 0), trips.od.get(0, 0)), (10.0, 20.0, 0.0));
}

#[test]
fn parses_flow_and_node_files() {
    let flows = parse_flows("f", "From \tTo \tVolume \tCost \n1 \t2 \t4494.6 \t6.0008 \n2\t1\t3\t4\n").unwrap();
    assert_eq!(flows.len(), 2);
    assert_eq!((flows[0].from, flows[0].to, flows[0].volume), (1, 2, 4494.6));
    let nodes = parse_nodes("n", "Node\tX\tY\t;\n1\t-96.77\t43.61\t;\n").unwrap();
    assert_eq!((nodes[0].id, nodes[0].x, nodes[0].y), (1, -96.77, 43.61));
    assert_eq!(message(parse_flows("f", "From To\n1 2 x 4\n")), "f:2: volume: expected a finite number, found \"x\"");
}

#[test]
fn net_errors_name_file_line_and_field() {
    let bad = |from: &str, to: &str| message(parse_net("t_net.tntp", &NET.replace(from, to)));
    assert_eq!(
        bad("\t3\t2\t100\t", "\t3\t2\tabc\t"),
        "t_net.tntp:9: capacity: expected a finite number, found \"abc\""
    );
    assert_eq!(bad("3 1 50", "3 7 50"), "t_net.tntp:10: term_node: node 7 is beyond <NUMBER OF NODES> 3");
    assert_eq!(bad("3 1 50 1 1 0.15 4 0 0 1;", "3 1 50 1;"), "t_net.tntp:10: free_flow_time: missing");
    assert_eq!(bad("3 1 50", "3 1 -50"), "t_net.tntp:10: capacity: must be at least 0.001, found -50.0");
    assert_eq!(bad("3 1 50 1 1 0.15", "3 1 50 1 1 -0.15"), "t_net.tntp:10: b: must be non-negative, found -0.15");
    assert_eq!(bad("3 1 50", "0 1 50"), "t_net.tntp:10: init_node: expected a positive integer id, found \"0\"");
    assert_eq!(
        bad("<NUMBER OF LINKS> 3", "<NUMBER OF LINKS> 4"),
        "t_net.tntp:4: <NUMBER OF LINKS>: declares 4 links but the file has 3 link rows"
    );
    assert_eq!(
        bad("<NUMBER OF NODES> 3\n", ""),
        "t_net.tntp:4: metadata: <NUMBER OF NODES> is missing before <END OF METADATA>"
    );
    assert_eq!(
        bad("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> two"),
        "t_net.tntp:1: <NUMBER OF ZONES>: expected a non-negative integer, found \"two\""
    );
    assert_eq!(
        bad("<END OF METADATA>", ""),
        "t_net.tntp:8: metadata: expected a <TAG> line, found \"1\\t3\\t100\\t1\\t2.5\\t0.15\\t4\\t0\\t0\\t1\\t;\""
    );
    assert_eq!(message(parse_net("e", "")), "e:1: metadata: the file is empty (no <TAG> lines and no data)");
    assert_eq!(
        message(parse_net("e", "~ a comment\n\n")),
        "e:1: metadata: the file is empty (no <TAG> lines and no data)"
    );
    assert_eq!(message(parse_net("e", "<NUMBER OF ZONES> 1\n")), "e:1: metadata: <END OF METADATA> not found");
}

#[test]
fn trips_errors_name_file_line_and_field() {
    let bad = |from: &str, to: &str| message(parse_trips("t_trips.tntp", &TRIPS.replace(from, to)));
    assert_eq!(bad("2 :    10.0", "3 :    10.0"), "t_trips.tntp:6: destination: zone 3 is beyond <NUMBER OF ZONES> 2");
    assert_eq!(bad("1 : 20", "1 : -20"), "t_trips.tntp:8: trips: must be non-negative, found -20");
    assert_eq!(bad("1 : 20", "1 : 20; 1 : 5"), "t_trips.tntp:8: destination: pair 2 -> 1 appears twice");
    assert_eq!(bad("1 : 20", "1 20"), "t_trips.tntp:8: destination: expected `destination : trips`, found \"1 20\"");
    assert_eq!(bad("Origin 2", "Origin x"), "t_trips.tntp:7: origin: expected a positive integer id, found \"x\"");
    assert_eq!(
        bad("Origin \t1\n", ""),
        "t_trips.tntp:5: origin: destination entries before any Origin line: \"1 :      0.0;     2 :    10.0;\""
    );
}

/// Arbitrary bytes never make the parsers panic.
#[test]
fn garbage_does_not_panic() {
    let inputs = [
        "<",
        "<END OF METADATA",
        "<NUMBER OF ZONES> 99999999999999999999\n<END OF METADATA>",
        "\u{0}~;;::",
        NET,
        TRIPS,
    ];
    for text in inputs {
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                let t = &text[..cut];
                let _ = parse_net("g", t);
                let _ = parse_trips("g", t);
                let _ = parse_flows("g", t);
                let _ = parse_nodes("g", t);
            }
        }
    }
}

/// The reproducers of issue P9: header counts that overflowed, aborted or allocated tens of
/// GB, and values that turned the assignment into NaN, are refused with the line and field
/// before anything is sized by them.
#[test]
fn hostile_headers_and_values_are_refused_before_allocating() {
    let net = |from: &str, to: &str| message(parse_net("t_net.tntp", &NET.replace(from, to)));
    let trips = |from: &str, to: &str| message(parse_trips("t_trips.tntp", &TRIPS.replace(from, to)));
    let cases: Vec<(String, &str)> = vec![
        // zones * zones wrapped to 0 and indexed out of bounds.
        (
            trips("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 4294967296"),
            "t_trips.tntp:1: <NUMBER OF ZONES>: 4294967296 zones (the OD matrix is dense: zones² values); at most 20000",
        ),
        // A capacity overflow, and an 80 GB OD matrix.
        (
            trips("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 4000000000"),
            "t_trips.tntp:1: <NUMBER OF ZONES>: 4000000000 zones",
        ),
        (trips("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 100000"), "t_trips.tntp:1: <NUMBER OF ZONES>: 100000 zones"),
        (
            net("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3", "<NUMBER OF ZONES> 100000\n<NUMBER OF NODES> 100000"),
            "t_net.tntp:1: <NUMBER OF ZONES>: 100000 zones",
        ),
        (
            net("<NUMBER OF NODES> 3", "<NUMBER OF NODES> 4000000000"),
            "t_net.tntp:2: <NUMBER OF NODES>: 4000000000 nodes; at most",
        ),
        // Tried to reserve 320 GB of links: now sized by the file, then the count is refused.
        (
            net("<NUMBER OF LINKS> 3", "<NUMBER OF LINKS> 4000000000"),
            "t_net.tntp:4: <NUMBER OF LINKS>: declares 4000000000 links but the file has 3",
        ),
        (
            net("<NUMBER OF LINKS> 3", "<NUMBER OF LINKS> 18446744073709551616"),
            "t_net.tntp:4: <NUMBER OF LINKS>: expected a non-negative integer",
        ),
        // Demand of 1e300 printed "TSTT NaN, relative gap 0" and exited 0.
        (trips("2 :    10.0", "2 : 1e300"), "t_trips.tntp:6: trips: 1e300 is beyond the sanity bound 1e12"),
        (trips("1 : 20", "1 : 9e11; 2 : 9e11"), "t_trips.tntp:8: trips: the total demand passes the sanity bound 1e12"),
        (
            net("3 1 50 1 1 0.15 4", "3 1 50 1 1 0.15 400"),
            "t_net.tntp:10: power: 400.0 is beyond the largest supported BPR power 17.0",
        ),
        (net("3 1 50", "3 1 1e-9"), "t_net.tntp:10: capacity: must be at least 0.001, found 1e-9"),
        (net("3 1 50 1", "3 1 50 1e300"), "t_net.tntp:10: length: 1e300 is beyond the sanity bound 1e12"),
    ];
    for (got, want) in cases {
        assert!(got.starts_with(want), "got {got:?}, want {want:?}");
    }
}

/// Barcelona, a TNTP benchmark, has links of BPR power 16.83: read, and assigned to a finite
/// equilibrium; the largest supported power (17) keeps the worst BPR term finite.
#[test]
fn a_power_up_to_17_is_read_and_assigned() {
    let text = NET.replace("\t0.15\t4\t0", "\t0.15\t16.83\t0");
    let net = parse_net("t_net.tntp", &text).unwrap();
    assert_eq!(net.links[0].power, 16.83);
    // The smallest capacity, largest free-flow time and `b`, on the one path of 1 → 2.
    let worst = NET.replace("\t3\t2\t100\t1\t2.5\t0.15\t4 ;", "\t3\t2\t0.001\t1\t1e12\t1e12\t17 ;");
    let net = parse_net("t_net.tntp", &worst).unwrap();
    assert_eq!(net.links[1].power, 17.0);
    let trips = parse_trips("t_trips.tntp", &TRIPS.replace(" 1 : 20;", " 1 : 0;")).unwrap();
    let r = corridor_assign::assign(&net.to_network().unwrap(), &trips.od, &corridor_assign::AssignConfig::default())
        .unwrap();
    assert!(r.tstt.is_finite() && r.tstt > 0.0, "TSTT {}", r.tstt);
}

/// A FIFO blocked the reader and `/dev/zero` ate memory: only regular files are read.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    use corridor_assign::tntp::read_net;
    let e = read_net(std::path::Path::new("/dev/zero")).unwrap_err().to_string();
    assert!(e.contains("/dev/zero") && e.contains("not a regular file"), "{e}");
    let dir = std::env::temp_dir().join(format!("corridor-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("net.tntp");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    assert!(made, "mkfifo is part of coreutils and must be present");
    let e = read_net(&fifo).unwrap_err().to_string();
    assert!(e.contains("not a regular file"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
