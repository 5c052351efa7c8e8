//! Open positions through the real binary: the demo's `content/jobs.json`
//! mapped to the ladder (by role, by `[jobs.roles]` title patterns, by the
//! department hint), its pages, the role pages' and home's counts, a
//! story's call to action, the sitemap and `/jobs.xml`; an expired opening
//! leaves no trace, as the build date (`SOURCE_DATE_EPOCH`) says; bad jobs
//! files are located errors that leave the previous output as it was.

mod common;

use common::{build, copy_site, read, repo, stderr, tree};
use std::fs;
use std::path::Path;
use std::process::Command;

/// 2026-12-01, a day after the demo's openings were posted.
const DAY: &str = "1796083200";

fn build_on(root: &Path, epoch: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "build: {}", stderr(&o));
    (tmp, out)
}

#[test]
fn the_demo_openings_map_to_the_ladder_and_show_where_candidates_look() {
    let (_t, out) = build_on(&repo(), DAY);
    let index = read(&out, "jobs/index.html");
    // 15 in the file, one expired on 2026-11-15.
    assert!(index.contains("14 open positions"), "{index}");
    assert!(!index.contains("Seasonal"), "the expired opening is not listed");
    // By `[jobs.roles]` patterns, by `role`, by the department hint.
    let agent = read(&out, "roles/agent/index.html");
    assert!(agent.contains("3 open positions"), "three Customer Care Representative titles");
    assert!(agent.contains("Customer Care Representative II – Spanish"));
    let rta = read(&out, "roles/real-time-analyst/index.html");
    assert!(rta.contains("1 open position<"), "Workforce Management's Real-Time Analyst, by the department hint");
    let team_lead = read(&out, "roles/team-lead/index.html");
    assert!(team_lead.contains("2 open positions"));
    // The one opening nothing maps is listed apart.
    let more = &index[index.find("More openings").expect("unmapped openings listed apart")..];
    assert!(more.contains("Facilities Coordinator"));
    // A story whose role is hiring points at its openings; home counts them.
    let tomas = read(&out, "stories/tomas-lindqvist/index.html");
    assert!(tomas.contains("Open Team Lead roles (2)"), "the story's call to action names its role's openings");
    assert!(read(&out, "index.html").contains("<strong>14</strong> open positions"));
    // An opening's page: description sanitised, Apply, the role and its people.
    let job = read(&out, "jobs/team-lead-customer-support-nights-4012360/index.html");
    assert!(job.contains("href=\"https://jobs.example.org/harborline/4012360\""), "Apply links the ATS");
    assert!(job.contains("Coaches a team of 12 to 15 agents"), "the role's summary from the ladder");
    assert!(job.contains("People who hold or held this role"));
    assert!(job.contains("\"@type\": \"JobPosting\""));
    // Sitemap and feed list the live openings, with their dates.
    let sitemap = read(&out, "sitemap.xml");
    assert_eq!(sitemap.matches("<loc>https://example.org/careers/jobs/").count(), 15, "the index and 14 openings");
    assert_eq!(sitemap.matches("<loc>https://example.org/careers/fr/jobs/").count(), 15, "in French too");
    assert!(sitemap.contains("<lastmod>2026-11-28</lastmod>"));
    let feed = read(&out, "jobs.xml");
    assert_eq!(feed.matches("<entry>").count(), 14);
    assert!(!feed.contains("Seasonal"));
}

#[test]
fn an_opening_past_its_date_leaves_no_trace_and_builds_are_byte_identical() {
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let jobs = site.path().join("content/jobs.json");
    let text = fs::read_to_string(&jobs).unwrap();
    // The Scheduler opening ends on 2026-12-10: live on the 1st, gone on the 11th.
    let text = text.replacen(
        "\"date_posted\": \"2026-11-12\",",
        "\"date_posted\": \"2026-11-12\",\n      \"valid_through\": \"2026-12-10\",",
        1,
    );
    fs::write(&jobs, text).unwrap();
    let (_a, before) = build_on(site.path(), DAY);
    let (_b, again) = build_on(site.path(), DAY);
    assert_eq!(tree(&before), tree(&again), "two builds of the same input on the same day");
    assert!(before.join("jobs/scheduler-4012381/index.html").is_file());
    // 2026-12-11.
    let (_c, after) = build_on(site.path(), "1796947200");
    assert!(!after.join("jobs/scheduler-4012381").exists());
    for file in ["jobs/index.html", "jobs.xml", "sitemap.xml", "roles/scheduler/index.html", "index.html"] {
        assert!(!read(&after, file).contains("4012381"), "{file} still shows the expired opening");
    }
    assert!(read(&after, "index.html").contains("<strong>13</strong> open positions"));
}

#[test]
fn bad_openings_are_located_errors_and_the_output_stays() {
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let (_t, out) = build(site.path(), &[]);
    let before = tree(&out);
    fs::write(
        site.path().join("content/jobs.csv"),
        "id,title,role,locations,remote,employment_type,date_posted,valid_through,apply_url,salary_min,salary_max,currency,description\n\
         9001,Night Scheduler,schedular,Tampa FL,false,FULL_TIME,2026-11-31,,https://x.example/9001,,,,Schedules.\n\
         9002,Team Lead,,,false,FULL_TIME,2026-11-01,,javascript:alert(1),,,,Lead.\n",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("content/jobs")).unwrap();
    fs::write(site.path().join("content/jobs/trainer.toml"), "id = \"9003\"\ntitle = \"Trainer\"\nrole = \"trainr\"\nremote = true\ndate_posted = \"2026-11-01\"\napply_url = \"https://x.example/9003\"\ndescription = \"Teach.\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output-dir")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        "content/jobs.csv:2:",
        "2026-11-31 does not exist",
        "content/jobs.csv:3:",
        "`apply_url` `javascript:alert(1)` is not a web address",
        "content/jobs/trainer.toml:",
        "unknown role `trainr`",
        "did you mean `trainer`",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    assert_eq!(tree(&out), before, "a failed build leaves the previous output as it was");
}

#[test]
fn a_pulled_board_builds_and_check_says_what_it_lacks() {
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    fs::remove_file(site.path().join("content/jobs.json")).unwrap();
    let export = repo().join("tests/ats/greenhouse.json");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_storypath")).args(args).arg("--root").arg(site.path()).output().unwrap()
    };
    let o = run(&["jobs", "pull", "--url", export.to_str().unwrap(), "--format", "greenhouse"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_t, out) = build_on(site.path(), DAY);
    let index = read(&out, "jobs/index.html");
    assert!(index.contains("Customer Care Representative II – Spanish"), "{index}");
    // An opening the ATS lists without text shows its role's summary.
    let lead = fs::read_dir(out.join("jobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("team-lead-customer-support"))
        .expect("the Team Lead opening");
    assert!(read(&out, &format!("jobs/{lead}/index.html")).contains("Coaches a team of 12 to 15 agents"));
    let o = run(&["check"]);
    let report = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(report.contains("warning[incomplete-job]: “Team Lead, Customer Support” has no description"), "{report}");
    assert!(report.contains("unmapped-job"), "{report}");
}

#[test]
fn the_openings_filter_by_place_and_track_with_plain_links_and_the_map_marks_hiring_roles() {
    let (_t, out) = build_on(&repo(), DAY);
    // A page per place (and one for remote work) and per track with openings.
    let toronto = read(&out, "jobs/location/toronto-on/index.html");
    assert!(toronto.contains("<h1>Open positions in Toronto, ON</h1>"), "{toronto}");
    assert!(toronto.contains("2 of 14 open positions"));
    assert!(toronto.contains("Customer Care Representative – Weekends (Part time)"));
    assert!(!toronto.contains("Team Lead, Chat<"), "an opening in Columbus is not listed in Toronto");
    assert!(
        toronto.contains(r#"aria-current="page">Toronto, ON <span class="count">2</span>"#),
        "the filter in use is marked"
    );
    let remote = read(&out, "jobs/location/remote/index.html");
    assert!(remote.contains("Remote open positions"));
    assert!(remote.contains("Chat Support Specialist"));
    let wfm = read(&out, "jobs/track/wfm/index.html");
    assert!(wfm.contains("<h1>Open positions in Workforce management</h1>"));
    for title in ["Scheduler", "Real-Time Analyst", "Workforce Planning Analyst"] {
        assert!(wfm.contains(&format!(">{title}</a>")), "{title} is in the WFM track");
    }
    assert!(!wfm.contains("Team Lead, Chat"));
    // The index links every filter; links work under the subpath without JavaScript.
    let index = read(&out, "jobs/index.html");
    assert!(
        index.contains(r#"<a href="../jobs/location/toronto-on/">Toronto, ON <span class="count">2</span></a>"#),
        "{index}"
    );
    assert!(index.contains(r#"<a href="../jobs/track/wfm/">Workforce management <span class="count">3</span></a>"#));
    // Facets are not in the sitemap: /jobs/ lists every opening.
    assert!(!read(&out, "sitemap.xml").contains("/jobs/location/"));

    // The map: a badge linking each hiring role's openings, in the legend and the titles.
    let svg = read(&out, "map.svg");
    let badges = svg.matches(r#"<a class="sp-hire" href="#).count();
    assert_eq!(badges, 10, "ten roles have live openings");
    assert!(
        svg.contains(
            r#"<a class="sp-hire" href="/careers/roles/team-lead/#openings"><title>Team Lead: 2 open positions</title>"#
        ),
        "{svg}"
    );
    assert!(svg.contains("Hiring now: open positions in the role"), "the legend explains the badge");
    // The legend's sample badge is in the map's language, like the badges.
    let fr = read(&out, "fr/map.svg");
    assert!(!fr.contains(">2 open<"), "no English badge on the French map");
    assert_eq!(
        fr.matches(">2 à pourvoir<").count(),
        svg.matches(">2 open<").count(),
        "the team lead's and the legend's"
    );
    assert!(
        svg.contains("Team Lead: Operations leadership, level 3, 2 open positions"),
        "the node's own title says it"
    );
    // In words on the map page, and on the phone's track maps.
    let map = read(&out, "map/index.html");
    assert!(map.contains(r#"<a href="../roles/team-lead/#openings">Team Lead</a>: 2 open positions"#), "{map}");
    assert!(map.contains("Hiring: 3 open positions"), "the compact track maps say it too");
    assert!(map.contains("roles are hiring now, marked with a badge."), "and the map's description");
}

#[test]
fn a_role_whose_openings_all_expired_has_no_badge_and_a_filter_slug_is_refused() {
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let jobs = site.path().join("content/jobs.json");
    let one = |extra: &str, valid: &str| {
        format!(
            r#"{{"jobs": [{{"id": "77", "title": "Team Lead", "role": "team-lead", "locations": ["Tampa, FL"],{extra}
                "date_posted": "2026-09-15", "valid_through": "{valid}", "apply_url": "https://x.example/77",
                "description_html": "<p>Lead.</p>"}}]}}"#
        )
    };
    // Its one opening ended on 2026-11-15, before the build date.
    fs::write(&jobs, one("", "2026-11-15")).unwrap();
    let (_t, out) = build_on(site.path(), DAY);
    assert!(!read(&out, "map.svg").contains(r#"class="sp-hire""#), "no live opening, no badge");
    assert!(!read(&out, "map/index.html").contains("Roles hiring now"));
    assert!(!out.join("jobs").exists(), "no openings, no jobs pages");
    fs::write(&jobs, one(r#" "slug": "location","#, "2027-01-15")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_storypath")).args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/jobs.json:") && err.contains("the slug `location` is taken by /jobs/'s filters"),
        "{err}"
    );
}
