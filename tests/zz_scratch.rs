mod common;
#[test]
fn write_sites() {
    use common::ladders;
    let cases = vec![
        ("cc", ladders::contact_centre(), 11),
        ("sw", ladders::software(), 12),
        ("nu", ladders::nursing(), 13),
        ("g1", ladders::generated(1, 15, 4), 1),
        ("g2", ladders::generated(2, 20, 5), 2),
        ("g3", ladders::generated(3, 30, 6), 3),
        ("g4", ladders::generated(4, 40, 6), 4),
        ("g5", ladders::generated(5, 40, 8), 5),
    ];
    for (n, l, seed) in cases {
        let d = std::path::PathBuf::from(format!("/tmp/sp-{n}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        l.write_site(&d, seed, 60);
    }
}
