//! Fuzz target `tntp`: the TNTP parsers of `corridor_assign::tntp` (the Transportation Networks
//! for Research formats read by `corridor assign --tntp-net/--tntp-trips`).
//!
//! Input: byte 0 selects the parser (`b % 4`: net, trips, flows, nodes), the rest is the file
//! text (the readers refuse non-UTF-8, so such inputs are skipped). A parsed network is also
//! converted to the assignment network (`to_network`), which checks node ids and link values;
//! the assignment itself is not run (too slow per input).
//!
//! Asserts: no panic; errors carry a message.

#![no_main]

use corridor_assign::tntp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let err = match sel % 4 {
        0 => match tntp::parse_net("fuzz_net.tntp", text) {
            Ok(net) => net.to_network().err(),
            Err(e) => Some(e),
        },
        1 => tntp::parse_trips("fuzz_trips.tntp", text).err(),
        2 => tntp::parse_flows("fuzz_flow.tntp", text).err(),
        _ => tntp::parse_nodes("fuzz_node.tntp", text).err(),
    };
    if let Some(e) = err {
        assert!(!e.to_string().is_empty());
    }
});
