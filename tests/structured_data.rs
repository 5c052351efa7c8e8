//! The JSON-LD of every page type meets what Google documents as required
//! and recommended, checked by an outside tool: structured-data-testing-tool
//! (`sdtt`, the npm package in tests/browser/). It runs on one page of
//! each type of the demo: its Google preset (Article, Organization,
//! WebPage...), the presets below for what that preset lacks (Google's
//! estimated-salary Occupation, BreadcrumbList, the ItemList of an index),
//! the schemas each page must carry, and schema.org's list of types for
//! every `@type` on the page. Then the values themselves: the story's
//! author, image and dates, the salary, and breadcrumbs under the base
//! URL's subpath.
//!
//! sdtt's command line takes its built-in presets only, so the test drives
//! its API (`structuredDataTest`, as its README shows) from one `node`
//! process for all the pages.

mod common;

use common::{build, npm_package, read, repo};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE: &str = "https://example.org/careers/";

/// One page of every type, and the schemas sdtt must find in its JSON-LD.
const PAGES: &[(&str, &[&str])] = &[
    ("index.html", &["Organization", "WebSite"]),
    ("stories/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("stories/ada-okafor/index.html", &["Article", "BreadcrumbList"]),
    ("roles/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("roles/wfm-analyst/index.html", &["Occupation", "BreadcrumbList"]),
    // The demo's one role without `pay`.
    ("roles/vp-customer-experience/index.html", &["Occupation", "BreadcrumbList"]),
    ("map/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("families/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("families/ruth-okafor/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("tags/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("tags/analytics/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("origins/by-accident/index.html", &["CollectionPage", "BreadcrumbList"]),
    ("benefits/index.html", &["WebPage", "BreadcrumbList"]),
    ("jobs/index.html", &["CollectionPage", "BreadcrumbList"]),
    // An opening at a place with a salary, and a remote one.
    ("jobs/team-lead-customer-support-nights-4012360/index.html", &["JobPosting", "BreadcrumbList"]),
    ("jobs/reporting-analyst-remote-4012400/index.html", &["JobPosting", "BreadcrumbList"]),
    ("404.html", &["WebPage", "BreadcrumbList"]),
];

/// A test of a preset (sdtt's format: a JMESPath over the page's schemas by
/// type; `[*]` is each instance). `warning`: recommended, not required.
fn check(test: &str, warning: bool) -> Value {
    json!({ "test": test, "warning": warning })
}

/// A test that passes when `test` finds nothing (a filter for items that
/// lack something, then its first match); `description` says what it asks.
fn none(test: &str, description: &str) -> Value {
    json!({ "test": test, "expect": false, "description": description })
}

/// Google's requirements that sdtt's Google preset does not test.
fn presets() -> Value {
    let occupation = |p: &str, w| check(&format!("Occupation[*].{p}"), w);
    let job = |p: &str| check(&format!("JobPosting[*].{p}"), false);
    json!([
        {
            // developers.google.com/search/docs/appearance/structured-data/estimated-salary
            "name": "Google Occupation",
            "schema": "Occupation",
            "conditional": { "test": "Occupation" },
            "tests": [
                occupation("name", false), occupation("estimatedSalary", false), occupation("occupationLocation", false),
                occupation("description", true), occupation("mainEntityOfPage", true), occupation("skills", true),
                occupation("occupationalCategory", true), occupation("sampleSize", true),
                occupation("qualifications", true), occupation("responsibilities", true),
                occupation("experienceRequirements", true), occupation("educationRequirements", true),
            ],
            "presets": [{
                "name": "Google Occupation estimatedSalary",
                "schema": "Occupation",
                "conditional": { "test": "Occupation[*].estimatedSalary" },
                "tests": [
                    { "test": "Occupation[*].estimatedSalary.\"@type\"", "expect": "MonetaryAmountDistribution" },
                    occupation("estimatedSalary.currency", false), occupation("estimatedSalary.duration", false),
                    occupation("estimatedSalary.name", true), occupation("estimatedSalary.median", true),
                    occupation("estimatedSalary.percentile10", true), occupation("estimatedSalary.percentile90", true),
                ],
            }],
        },
        {
            // developers.google.com/search/docs/appearance/structured-data/job-posting:
            // required title, description, datePosted, hiringOrganization
            // and jobLocation (or TELECOMMUTE with applicant location
            // requirements); validThrough, baseSalary, employmentType,
            // identifier and directApply recommended (all ours have them).
            "name": "Google JobPosting",
            "schema": "JobPosting",
            "conditional": { "test": "JobPosting" },
            "tests": [
                job("title"), job("description"), job("datePosted"), job("validThrough"),
                job("hiringOrganization.name"), job("hiringOrganization.logo"), job("hiringOrganization.sameAs"),
                job("employmentType"), job("identifier.value"), job("baseSalary.currency"),
                job("baseSalary.value.minValue"), job("baseSalary.value.unitText"),
                job("directApply"),
                none("JobPosting[?!jobLocation && jobLocationType != 'TELECOMMUTE'] | [0]",
                     "a place to work, or TELECOMMUTE"),
                none("JobPosting[?jobLocationType == 'TELECOMMUTE' && !applicantLocationRequirements] | [0]",
                     "a remote opening says where applicants may live"),
                none("JobPosting[*].jobLocation.address[?!addressLocality] | [0]", "every place has a locality"),
            ],
        },
        {
            // developers.google.com/search/docs/appearance/structured-data/breadcrumb:
            // ListItems with position and name, and item but on the last one.
            "name": "Google BreadcrumbList",
            "schema": "BreadcrumbList",
            "conditional": { "test": "BreadcrumbList" },
            "tests": [
                check("BreadcrumbList[*].itemListElement", false),
                none("BreadcrumbList[*].itemListElement[?\"@type\" != 'ListItem'] | [0]", "every crumb is a ListItem"),
                none("BreadcrumbList[*].itemListElement[?!position] | [0]", "every crumb has a position"),
                none("BreadcrumbList[*].itemListElement[?!name] | [0]", "every crumb has a name"),
                none("BreadcrumbList[*].itemListElement[:-1] | [?!item] | [0]", "every crumb but the last has an item"),
            ],
        },
        {
            // An index's list, as Google's carousel (summary page) reads one:
            // ListItems with position and url.
            "name": "ItemList of a CollectionPage",
            "schema": "CollectionPage",
            "conditional": { "test": "CollectionPage" },
            "tests": [
                { "test": "CollectionPage[*].mainEntity.\"@type\"", "expect": "ItemList" },
                check("CollectionPage[*].mainEntity.numberOfItems", false),
                none("CollectionPage[*].mainEntity.itemListElement[?!position] | [0]", "every item has a position"),
                none("CollectionPage[*].mainEntity.itemListElement[?!url] | [0]", "every item has a url"),
            ],
        },
        {
            // What the Google preset tests only as present: the author as a
            // Person with a name, the image as an ImageObject with its size.
            "name": "Google Article, in detail",
            "schema": "Article",
            "conditional": { "test": "Article" },
            "tests": [
                { "test": "Article[*].author.\"@type\"", "expect": "Person" },
                check("Article[*].author.name", false),
                check("Article[*].image.url", false),
                check("Article[*].image.width", false),
                check("Article[*].image.height", false),
                { "test": "Article[*].publisher.logo.\"@type\"", "expect": "ImageObject" },
                check("Article[*].publisher.logo.width", true),
                check("Article[*].publisher.logo.height", true),
            ],
        },
    ])
}

/// Runs sdtt on every file in `pages` (with the schemas each must have)
/// and returns, per file: `failed` and `warnings` (group, test, message),
/// `schemas` found, and `unknown`, the `@type`s not in schema.org's list.
const SDTT: &str = r#"
const fs = require('fs');
const { structuredDataTest } = require('structured-data-testing-tool');
const { Google } = require('structured-data-testing-tool/presets');
const { schemas: known } = require('structured-data-testing-tool/lib/schemas');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const types = (v, out) => {
  if (Array.isArray(v)) v.forEach(x => types(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) k === '@type' ? [].concat(x).forEach(t => out.add(t)) : types(x, out);
  return out;
};
const brief = t => ({
  group: (t.groups || [t.group]).join(' > '), test: t.description || t.test, message: t.error ? t.error.message : '',
});
(async () => {
  const results = {};
  for (const page of input.pages) {
    const html = fs.readFileSync(page.file, 'utf8');
    let res;
    try {
      res = await structuredDataTest(html, { presets: [Google, ...input.presets], schemas: page.schemas });
    } catch (e) {
      if (e.type !== 'VALIDATION_FAILED') throw e;
      res = e.res;
    }
    const ld = Object.values(res.structuredData.jsonld).flat();
    results[page.file] = {
      failed: res.failed.map(brief), warnings: res.warnings.map(brief), passed: res.passed.length,
      schemas: res.schemas, unknown: [...types(ld, new Set())].filter(t => !known[t]),
    };
  }
  fs.writeFileSync(input.out, JSON.stringify(results, null, 1));
})().catch(e => { console.error(e); process.exit(1); });
"#;

fn sdtt(out: &Path, pages: &[(&str, &[&str])]) -> Value {
    let dir = npm_package("structured-data-testing-tool");
    let results = out.parent().unwrap().join("sdtt.json");
    let input = json!({
        "pages": pages.iter().map(|(p, schemas)| json!({
            "file": out.join(p),
            "schemas": schemas.iter().map(|s| format!("jsonld:{s}")).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "presets": presets(),
        "out": results,
    });
    let mut child = Command::new("node")
        .args(["-e", SDTT])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("Node.js is needed to run structured-data-testing-tool");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.to_string().as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "structured-data-testing-tool did not run");
    serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap()
}

/// Messages sdtt gives for what Google asks and storypath leaves out on
/// purpose, because nothing in a site says it (see `seo::occupation`): the
/// place a salary applies to (required for the salary rich result; the
/// contract has no site location), a sample size, percentiles and a
/// median (a pay range is not a distribution), qualifications and
/// requirements (the ladder has a summary and skills). These are known
/// gaps of the input, not false positives; every other message fails.
fn left_out(message: &str) -> bool {
    let missing = [
        "occupationLocation",
        "sampleSize",
        "qualifications",
        "responsibilities",
        "experienceRequirements",
        "educationRequirements",
        "estimatedSalary.median",
        "estimatedSalary.percentile10",
        "estimatedSalary.percentile90",
    ];
    missing.iter().any(|p| message == format!("Could not find \"Occupation[0].{p}\""))
}

/// The page's JSON-LD nodes (one block; several nodes are an array).
fn nodes(html: &str) -> Vec<Value> {
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    match serde_json::from_str(&html[start..end]).expect("valid JSON-LD") {
        Value::Array(v) => v,
        v => vec![v],
    }
}

fn node(nodes: &[Value], ty: &str) -> Value {
    nodes.iter().find(|n| n["@type"] == ty).cloned().unwrap_or_else(|| panic!("no {ty} in {nodes:#?}"))
}

/// (name, item) of each crumb of the page's BreadcrumbList.
fn crumbs(nodes: &[Value]) -> Vec<(String, String)> {
    let list = node(nodes, "BreadcrumbList");
    let items = list["itemListElement"].as_array().unwrap();
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["position"], i + 1, "{list:#}");
    }
    items.iter().map(|i| (i["name"].as_str().unwrap().into(), i["item"].as_str().unwrap().into())).collect()
}

/// The attribute value that follows `opening` (a tag up to its `="`).
fn meta_content<'a>(html: &'a str, opening: &str) -> &'a str {
    let rest = &html[html.find(opening).unwrap_or_else(|| panic!("no {opening}")) + opening.len()..];
    &rest[..rest.find('"').unwrap()]
}

fn crumb(name: &str, path: &str) -> (String, String) {
    (name.into(), format!("{BASE}{path}"))
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    build(&repo(), &["--base-url", BASE])
}

#[test]
fn every_page_type_passes_structured_data_testing_tool() {
    let (_tmp, out) = demo();
    let results = sdtt(&out, PAGES);
    let mut problems = Vec::new();
    for (page, _) in PAGES {
        let r = &results[out.join(page).to_str().unwrap()];
        assert!(r["passed"].as_u64().unwrap() > 0, "{page}: sdtt ran no test: {r:#}");
        for (kind, list) in [("error", &r["failed"]), ("warning", &r["warnings"])] {
            for t in list.as_array().unwrap() {
                let message = t["message"].as_str().unwrap_or("");
                // A role without pay has no salary: a valid Occupation, not
                // eligible for the salary rich result (see `seo::occupation`).
                let no_pay = page.contains("vp-customer-experience")
                    && message == "Could not find \"Occupation[0].estimatedSalary\"";
                if !left_out(message) && !no_pay {
                    problems.push(format!("{page}: {kind}: {} {} ({message})", t["group"], t["test"]));
                }
            }
        }
        for t in r["unknown"].as_array().unwrap() {
            problems.push(format!("{page}: {t} is not a schema.org type"));
        }
    }
    assert!(problems.is_empty(), "structured-data-testing-tool:\n{}", problems.join("\n"));
    // The role with pay is complete but for what the ladder cannot say.
    let role = &results[out.join("roles/wfm-analyst/index.html").to_str().unwrap()];
    let failed: Vec<&str> = role["failed"].as_array().unwrap().iter().map(|t| t["message"].as_str().unwrap()).collect();
    assert_eq!(failed, ["Could not find \"Occupation[0].occupationLocation\""], "{role:#}");
}

#[test]
fn json_ld_says_who_wrote_what_when_and_where_it_sits() {
    let (_tmp, out) = demo();
    let html = read(&out, "stories/ada-okafor/index.html");
    let ld = nodes(&html);
    let article = node(&ld, "Article");
    assert_eq!(
        article["author"],
        json!({ "@type": "Person", "name": "Ada Okafor", "url": format!("{BASE}stories/ada-okafor/") })
    );
    assert_eq!(article["about"]["name"], "Ada Okafor");
    // The image is the page's share card, as Open Graph names it.
    let og_image = meta_content(&html, "<meta property=\"og:image\" content=\"");
    assert_eq!(article["image"]["@type"], "ImageObject");
    assert_eq!(article["image"]["url"], og_image);
    assert!(og_image.starts_with(BASE), "{og_image}");
    assert_eq!((article["image"]["width"].as_u64(), article["image"]["height"].as_u64()), (Some(1200), Some(630)));
    assert_eq!(article["datePublished"], "2025-08-11");
    assert_eq!(article["dateModified"], "2025-08-11");
    assert_eq!(article["mainEntityOfPage"]["@id"], format!("{BASE}stories/ada-okafor/"));
    let logo = &article["publisher"]["logo"];
    assert_eq!(logo["@type"], "ImageObject");
    assert!(logo["url"].as_str().unwrap().starts_with(&format!("{BASE}apple-touch-icon.")), "{logo}");
    assert_eq!((logo["width"].as_u64(), logo["height"].as_u64()), (Some(180), Some(180)));
    assert_eq!(
        crumbs(&ld),
        [
            crumb("Careers at Harborline Support", ""),
            crumb("Career stories", "stories/"),
            crumb("Ada Okafor", "stories/ada-okafor/")
        ]
    );

    let ld = nodes(&read(&out, "roles/wfm-analyst/index.html"));
    let role = node(&ld, "Occupation");
    assert_eq!(role["name"], "Workforce Planning Analyst");
    assert_eq!(
        role["estimatedSalary"],
        json!({ "@type": "MonetaryAmountDistribution", "name": "base", "currency": "USD", "duration": "P1Y",
                "unitText": "YEAR", "minValue": 52000, "maxValue": 61000 })
    );
    assert_eq!(role["mainEntityOfPage"]["@id"], format!("{BASE}roles/wfm-analyst/"));
    assert!(role["skills"].as_array().is_some_and(|s| !s.is_empty()), "{role}");
    assert_eq!(crumbs(&ld)[1..], [crumb("Roles", "roles/"), crumb("Workforce Planning Analyst", "roles/wfm-analyst/")]);
    let unpaid = node(&nodes(&read(&out, "roles/vp-customer-experience/index.html")), "Occupation");
    assert!(unpaid.get("estimatedSalary").is_none(), "no pay, no invented salary: {unpaid}");

    let tag = nodes(&read(&out, "tags/analytics/index.html"));
    assert_eq!(crumbs(&tag)[1..], [crumb("Tags", "tags/"), crumb("Analytics", "tags/analytics/")]);
    // The home page has no trail; every other page has one, its last
    // crumb the page's canonical URL.
    assert!(nodes(&read(&out, "index.html")).iter().all(|n| n["@type"] != "BreadcrumbList"));
    for (page, _) in &PAGES[1..] {
        let html = read(&out, page);
        let trail = crumbs(&nodes(&html));
        assert!((2..=3).contains(&trail.len()), "{page}: {trail:?}");
        assert_eq!(trail[0], crumb("Careers at Harborline Support", ""), "{page}");
        let canonical = meta_content(&html, "<link rel=\"canonical\" href=\"");
        assert_eq!(trail.last().unwrap().1, canonical, "{page}");
    }
}

#[test]
fn breadcrumbs_follow_the_base_url_and_stay_escaped() {
    let base = "https://example.net/jobs/careers/";
    let (_tmp, out) = build(&repo(), &["--base-url", base]);
    let html = read(&out, "families/ruth-okafor/index.html");
    let trail = crumbs(&nodes(&html));
    let items: Vec<&str> = trail.iter().map(|(_, u)| u.as_str()).collect();
    assert_eq!(items, [base.to_string(), format!("{base}families/"), format!("{base}families/ruth-okafor/")]);
    // JSON-LD is markup-free (`json_for_script`): no `<` or `&` of a name can close the script.
    let start = html.find("<script type=\"application/ld+json\">").unwrap();
    let block = &html[start + 35..start + 35 + html[start + 35..].find("</script>").unwrap()];
    assert!(!block.contains('<') && !block.contains('&'), "{block}");
}
