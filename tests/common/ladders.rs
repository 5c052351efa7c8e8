//! Career ladders for the map-quality tests, written as real site folders
//! (site.toml, content/ladder.toml, content/stories/*.md) so the real binary
//! builds them: generated ones (seeded, 15–80 roles over 4–10 tracks, crowded
//! levels, lateral moves, moves the ladder does not list, outside entry
//! points, journeys of up to 6 steps) and three modelled on real frameworks
//! (a contact centre, a software-engineering ladder, a hospital nursing
//! ladder), because a layout tuned only on synthetic ladders can still fail
//! the shapes careers teams actually have.
//!
//! Everything is deterministic from its seed ([`Rng`]): a failing ladder
//! reproduces.

use super::fuzz::Rng;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Track {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub title: String,
    /// Index into [`Ladder::tracks`].
    pub track: usize,
    pub level: u32,
    /// Indexes into [`Ladder::roles`]: the moves the ladder lists.
    pub next: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Place {
    Role(usize),
    Outside(String),
}

#[derive(Debug, Clone)]
pub struct Story {
    pub slug: String,
    pub name: String,
    /// Oldest first, each with the year it started; the last is a role.
    pub path: Vec<(Place, u32)>,
}

#[derive(Debug, Clone)]
pub struct Ladder {
    pub name: String,
    pub tracks: Vec<Track>,
    pub roles: Vec<Role>,
    /// Jobs outside the ladder that people come from.
    pub outside: Vec<String>,
}

const COLORS: &[&str] =
    &["#1d4ed8", "#14532d", "#7c3aed", "#b45309", "#be123c", "#0f766e", "#4338ca", "#a21caf", "#15803d", "#9a3412"];

const FIRST: &[&str] = &[
    "Ada", "Bilal", "Carmen", "Dmitri", "Esi", "Farah", "Gustavo", "Hana", "Ines", "Jonas", "Kemi", "Luca", "Mei",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Yara", "Zainab",
];
const LAST: &[&str] = &[
    "Okafor",
    "Haddad",
    "Lindqvist",
    "Nakamura",
    "Mensah",
    "Rossi",
    "Schmidt",
    "Santos",
    "Kowalski",
    "Chen",
    "Dubois",
    "Ibrahim",
    "Park",
    "Novak",
    "García",
    "Singh",
    "O'Brien",
    "Petrov",
    "Yilmaz",
    "Andersen",
];

impl Ladder {
    /// A ladder from rows of (id, title, track index, level, next ids).
    fn from_rows(
        name: &str,
        tracks: &[(&str, &str)],
        rows: &[(&str, &str, usize, u32, &[&str])],
        outside: &[&str],
    ) -> Ladder {
        let index = |id: &str| rows.iter().position(|r| r.0 == id).unwrap_or_else(|| panic!("{name}: no role {id}"));
        Ladder {
            name: name.to_string(),
            tracks: tracks.iter().map(|(id, n)| Track { id: id.to_string(), name: n.to_string() }).collect(),
            roles: rows
                .iter()
                .map(|(id, title, track, level, next)| Role {
                    id: id.to_string(),
                    title: title.to_string(),
                    track: *track,
                    level: *level,
                    next: next.iter().map(|n| index(n)).collect(),
                })
                .collect(),
            outside: outside.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `n` journeys over the ladder: a third start outside it; each move is
    /// mostly one the ladder lists, sometimes a lateral move (same level,
    /// another role) or a move the ladder does not list (a role one or two
    /// levels up, anywhere); up to 6 steps.
    pub fn stories(&self, seed: u64, n: usize) -> Vec<Story> {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let entry: Vec<usize> = {
            let low = self.roles.iter().map(|r| r.level).min().unwrap_or(1);
            (0..self.roles.len()).filter(|&i| self.roles[i].level <= low + 1).collect()
        };
        (0..n)
            .map(|i| {
                let steps = 1 + rng.below(6);
                let mut path: Vec<Place> = Vec::new();
                let mut at = entry[rng.below(entry.len())];
                if rng.below(3) == 0 && steps > 1 {
                    path.push(Place::Outside(self.outside[rng.below(self.outside.len())].clone()));
                }
                path.push(Place::Role(at));
                while path.len() < steps {
                    let r = &self.roles[at];
                    let roll = rng.below(100);
                    let candidates: Vec<usize> = if roll < 70 && !r.next.is_empty() {
                        r.next.clone()
                    } else if roll < 85 {
                        (0..self.roles.len()).filter(|&k| k != at && self.roles[k].level == r.level).collect()
                    } else {
                        (0..self.roles.len())
                            .filter(|&k| (r.level + 1..=r.level + 2).contains(&self.roles[k].level))
                            .collect()
                    };
                    if candidates.is_empty() {
                        break;
                    }
                    at = candidates[rng.below(candidates.len())];
                    path.push(Place::Role(at));
                }
                // Years: 1 to 4 per step, ending by 2024.
                let gaps: Vec<u32> = (0..path.len()).map(|_| 1 + rng.below(4) as u32).collect();
                let mut year = 2024 - gaps.iter().sum::<u32>() - rng.below(5) as u32;
                let path = path
                    .into_iter()
                    .zip(gaps)
                    .map(|(p, g)| {
                        let y = year;
                        year += g;
                        (p, y)
                    })
                    .collect();
                let (first, last) = (FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
                Story { slug: format!("s{i:02}"), name: format!("{first} {last}"), path }
            })
            .collect()
    }

    /// Writes the ladder and `n` stories as a site in `dir`.
    pub fn write_site(&self, dir: &Path, seed: u64, n: usize) {
        std::fs::create_dir_all(dir.join("content/stories")).unwrap();
        let site = format!(
            "title = \"Careers: {}\"\nbase_url = \"https://example.org/careers/\"\nlanguage = \"en\"\ntheme = \"horizon\"\n\n[brand]\ncompany = \"Example\"\n",
            self.name
        );
        std::fs::write(dir.join("site.toml"), site).unwrap();
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let mut ladder = String::new();
        for (i, t) in self.tracks.iter().enumerate() {
            let _ = writeln!(
                ladder,
                "[[track]]\nid = \"{}\"\nname = \"{}\"\ncolor = \"{}\"\n",
                t.id,
                q(&t.name),
                COLORS[i % COLORS.len()]
            );
        }
        for r in &self.roles {
            let next: Vec<String> = r.next.iter().map(|&k| format!("\"{}\"", self.roles[k].id)).collect();
            let _ = writeln!(
                ladder,
                "[[role]]\nid = \"{}\"\ntitle = \"{}\"\ntrack = \"{}\"\nlevel = {}\nnext = [{}]\n",
                r.id,
                q(&r.title),
                self.tracks[r.track].id,
                r.level,
                next.join(", ")
            );
        }
        std::fs::write(dir.join("content/ladder.toml"), ladder).unwrap();
        for s in self.stories(seed, n) {
            let steps: Vec<String> = s
                .path
                .iter()
                .map(|(p, y)| match p {
                    Place::Role(k) => format!("{{ role = \"{}\", from = {y} }}", self.roles[*k].id),
                    Place::Outside(t) => format!("{{ outside = \"{}\", from = {y} }}", q(t)),
                })
                .collect();
            let Some((Place::Role(last), year)) = s.path.last() else { unreachable!("a journey ends in a role") };
            let md = format!(
                "+++\ntitle = \"How {name} became {title}\"\nname = \"{name}\"\ndate = {year}-06-01\nrole = \"{role}\"\npath = [{steps}]\n+++\nA story of the {ladder} ladder.\n",
                name = q(&s.name),
                title = q(&self.roles[*last].title),
                role = self.roles[*last].id,
                steps = steps.join(", "),
                ladder = q(&self.name),
            );
            std::fs::write(dir.join(format!("content/stories/{}.md", s.slug)), md).unwrap();
        }
    }
}

const OUTSIDE: &[&str] = &[
    "Retail cashier",
    "Barista",
    "University student",
    "Military service",
    "Hotel receptionist",
    "Bank teller",
    "Primary school teacher",
    "Warehouse operative",
    "Self-employed",
    "Career break",
    "Flight attendant",
    "Call centre at another company",
    "Graduate scheme elsewhere",
    "Pharmacy assistant",
];

const FUNCTIONS: &[&str] = &[
    "Customer Support",
    "Workforce Management",
    "Quality Assurance",
    "Learning and Development",
    "Business Analytics",
    "Operations",
    "Sales",
    "Platform Engineering",
    "Finance",
    "People and Culture",
];

/// Titles up a track, most junior first ({} is the function).
const RUNGS: &[&str] = &[
    "{} Associate",
    "{} Specialist",
    "Senior {} Specialist",
    "{} Analyst",
    "Senior {} Analyst",
    "{} Team Lead",
    "{} Manager",
    "Senior {} Manager",
    "Head of {}",
    "Director of {}",
];

/// A generated ladder of `roles` roles over `tracks` tracks: each track
/// starts at level 1 to 3 and climbs, some levels holding two or three
/// roles side by side; each role lists the next one up its track (and the
/// one after, sometimes), with lateral moves to another track's role of the
/// same level and a few moves across tracks up a level.
pub fn generated(seed: u64, roles: usize, tracks: usize) -> Ladder {
    assert!((4..=10).contains(&tracks) && roles >= tracks);
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let mut ladder = Ladder {
        name: format!("generated {roles} roles, {tracks} tracks (seed {seed})"),
        tracks: (0..tracks)
            .map(|t| Track { id: format!("t{t}"), name: FUNCTIONS[t % FUNCTIONS.len()].to_string() })
            .collect(),
        roles: Vec::new(),
        outside: OUTSIDE.iter().map(|s| s.to_string()).collect(),
    };
    // Share the roles out: every track at least one, the rest at random.
    let mut per_track = vec![1usize; tracks];
    for _ in tracks..roles {
        per_track[rng.below(tracks)] += 1;
    }
    for (t, &n) in per_track.iter().enumerate() {
        let mut level = 1 + rng.below(3) as u32;
        let first = ladder.roles.len();
        let mut prev_rung = usize::MAX;
        let mut repeat = 0;
        for k in 0..n {
            // Two or three roles may share a level (a crowded cell).
            if k > 0 && rng.below(4) != 0 {
                level += 1;
            }
            // Long tracks reuse a rung: "Sales Specialist", "Sales Specialist II".
            let rung = k * RUNGS.len() / n;
            repeat = if rung == prev_rung { repeat + 1 } else { 0 };
            prev_rung = rung;
            let title = RUNGS[rung].replace("{}", &ladder.tracks[t].name);
            let title =
                if repeat > 0 { format!("{title} {}", ["II", "III", "IV", "V"][(repeat - 1).min(3)]) } else { title };
            ladder.roles.push(Role { id: format!("t{t}-r{k}"), title, track: t, level, next: Vec::new() });
        }
        let last = ladder.roles.len();
        for i in first..last {
            let up: Vec<usize> = (i + 1..last).filter(|&j| ladder.roles[j].level > ladder.roles[i].level).collect();
            if let Some(&j) = up.first() {
                ladder.roles[i].next.push(j);
            }
            if up.len() > 1 && rng.below(3) == 0 {
                ladder.roles[i].next.push(up[1]);
            }
        }
    }
    let n = ladder.roles.len();
    for i in 0..n {
        let level = ladder.roles[i].level;
        let track = ladder.roles[i].track;
        if rng.below(3) == 0 {
            let lateral: Vec<usize> =
                (0..n).filter(|&j| ladder.roles[j].level == level && ladder.roles[j].track != track).collect();
            if !lateral.is_empty() {
                let j = lateral[rng.below(lateral.len())];
                ladder.roles[i].next.push(j);
            }
        }
        if rng.below(4) == 0 {
            let across: Vec<usize> =
                (0..n).filter(|&j| ladder.roles[j].level == level + 1 && ladder.roles[j].track != track).collect();
            if !across.is_empty() {
                let j = across[rng.below(across.len())];
                ladder.roles[i].next.push(j);
            }
        }
        ladder.roles[i].next.dedup();
    }
    ladder
}

/// A contact centre, 27 roles over 6 tracks, after the usual frameworks of
/// the industry (agent to team leader to contact-centre manager, with
/// workforce management, quality and training, reporting and digital CX).
pub fn contact_centre() -> Ladder {
    Ladder::from_rows(
        "contact centre",
        &[
            ("service", "Customer service"),
            ("ops", "Operations leadership"),
            ("wfm", "Workforce management"),
            ("quality", "Quality and training"),
            ("mi", "Reporting and insight"),
            ("cx", "Digital and CX"),
        ],
        &[
            ("csr", "Customer Service Representative", 0, 1, &["senior-csr", "retention", "chat-agent"]),
            ("chat-agent", "Chat and Email Agent", 0, 1, &["senior-csr", "csr"]),
            ("tech-support", "Technical Support Agent", 0, 1, &["senior-csr", "escalations"]),
            (
                "senior-csr",
                "Senior Customer Service Representative",
                0,
                2,
                &["escalations", "team-leader", "rta", "qa-analyst"],
            ),
            ("retention", "Customer Retention Specialist", 0, 2, &["escalations", "team-leader"]),
            ("escalations", "Complaints and Escalations Specialist", 0, 3, &["team-leader", "qa-lead"]),
            ("team-leader", "Team Leader", 1, 3, &["ops-supervisor", "trainer"]),
            ("ops-supervisor", "Operations Supervisor", 1, 4, &["cc-manager"]),
            ("cc-manager", "Contact Centre Manager", 1, 5, &["site-director"]),
            ("site-director", "Site Director", 1, 6, &["head-ops"]),
            ("head-ops", "Head of Customer Operations", 1, 7, &[]),
            ("rta", "Real-Time Analyst", 2, 2, &["scheduler"]),
            ("scheduler", "Scheduling Analyst", 2, 3, &["forecaster", "mi-analyst"]),
            ("forecaster", "Forecasting and Capacity Planner", 2, 4, &["wfm-lead"]),
            ("wfm-lead", "Workforce Planning Lead", 2, 5, &["wfm-manager"]),
            ("wfm-manager", "Workforce Management Manager", 2, 6, &["head-ops"]),
            ("qa-analyst", "Quality Assurance Analyst", 3, 2, &["trainer", "nesting-coach"]),
            ("nesting-coach", "Nesting Coach", 3, 2, &["trainer", "qa-analyst"]),
            ("trainer", "Contact Centre Trainer", 3, 3, &["qa-lead", "ld-manager"]),
            ("qa-lead", "Quality Lead", 3, 4, &["ld-manager"]),
            ("ld-manager", "Learning and Development Manager", 3, 5, &[]),
            ("mi-analyst", "MI Reporting Analyst", 4, 3, &["insight-analyst"]),
            ("insight-analyst", "Customer Insight Analyst", 4, 4, &["analytics-manager", "cx-designer"]),
            ("analytics-manager", "Contact Centre Analytics Manager", 4, 5, &[]),
            ("knowledge-editor", "Knowledge Base Editor", 5, 3, &["cx-designer"]),
            ("cx-designer", "Customer Experience Designer", 5, 4, &["digital-lead"]),
            ("digital-lead", "Digital Channels Lead", 5, 5, &["head-ops"]),
        ],
        &[
            "Retail cashier",
            "Hotel receptionist",
            "University student",
            "Call centre at another company",
            "Barista",
            "Bank teller",
            "Warehouse operative",
            "Career break",
            "Military service",
        ],
    )
}

/// A software-engineering ladder, 16 roles: the individual-contributor
/// track to principal, the management track from engineering manager
/// (entered from senior engineer) to VP, reliability and product.
pub fn software() -> Ladder {
    Ladder::from_rows(
        "software engineering",
        &[
            ("ic", "Engineering (individual contributor)"),
            ("mgmt", "Engineering management"),
            ("reliability", "Quality and reliability"),
            ("product", "Product management"),
        ],
        &[
            ("apprentice", "Software Engineering Apprentice", 0, 1, &["swe-1"]),
            ("swe-1", "Software Engineer I", 0, 2, &["swe-2", "qa-engineer"]),
            ("swe-2", "Software Engineer II", 0, 3, &["senior-swe", "sre"]),
            ("senior-swe", "Senior Software Engineer", 0, 4, &["staff", "em", "pm"]),
            ("staff", "Staff Engineer", 0, 5, &["principal", "em"]),
            ("principal", "Principal Engineer", 0, 6, &["distinguished"]),
            ("distinguished", "Distinguished Engineer", 0, 7, &[]),
            ("em", "Engineering Manager", 1, 5, &["senior-em", "staff"]),
            ("senior-em", "Senior Engineering Manager", 1, 6, &["director"]),
            ("director", "Director of Engineering", 1, 7, &["vp"]),
            ("vp", "VP of Engineering", 1, 8, &[]),
            ("support-engineer", "Support Engineer", 2, 1, &["qa-engineer", "swe-1"]),
            ("qa-engineer", "QA Engineer", 2, 2, &["sre", "swe-2"]),
            ("sre", "Site Reliability Engineer", 2, 3, &["senior-swe"]),
            ("apm", "Associate Product Manager", 3, 3, &["pm"]),
            ("pm", "Product Manager", 3, 4, &["senior-em"]),
        ],
        &[
            "Computer science student",
            "Coding bootcamp",
            "IT helpdesk elsewhere",
            "Physics PhD",
            "Self-taught",
            "Teacher",
        ],
    )
}

/// A hospital nursing ladder, 21 roles over 6 tracks, after the NHS
/// Agenda for Change bands (level 1 = band 2 ... level 8 = band 8b and up):
/// support workers, registered nursing, specialist and advanced practice,
/// leadership, education, research.
pub fn nursing() -> Ladder {
    Ladder::from_rows(
        "hospital nursing",
        &[
            ("support", "Nursing support"),
            ("registered", "Registered nursing"),
            ("specialist", "Specialist and advanced practice"),
            ("leadership", "Nursing leadership"),
            ("education", "Practice education"),
            ("research", "Clinical research"),
        ],
        &[
            ("hca", "Healthcare Assistant", 0, 1, &["senior-hca", "apprentice"]),
            ("senior-hca", "Senior Healthcare Assistant", 0, 2, &["nursing-associate", "apprentice"]),
            ("apprentice", "Registered Nurse Degree Apprentice", 0, 2, &["staff-nurse"]),
            ("nursing-associate", "Nursing Associate", 0, 3, &["staff-nurse", "apprentice"]),
            ("staff-nurse", "Staff Nurse", 1, 4, &["deputy-sister", "specialist-nurse", "outreach", "research-nurse"]),
            ("deputy-sister", "Deputy Sister / Charge Nurse", 1, 5, &["ward-sister", "skills-facilitator"]),
            ("ward-sister", "Ward Sister / Charge Nurse", 1, 6, &["matron", "cns"]),
            ("specialist-nurse", "Specialist Nurse, Tissue Viability", 2, 5, &["cns"]),
            ("outreach", "Critical Care Outreach Nurse", 2, 5, &["cns", "anp"]),
            ("cns", "Clinical Nurse Specialist", 2, 6, &["anp", "matron"]),
            ("anp", "Advanced Nurse Practitioner", 2, 7, &["consultant-nurse"]),
            ("consultant-nurse", "Consultant Nurse", 2, 8, &["deputy-director"]),
            ("matron", "Matron", 3, 7, &["head-of-nursing"]),
            ("head-of-nursing", "Head of Nursing", 3, 8, &["deputy-director"]),
            ("deputy-director", "Deputy Director of Nursing", 3, 9, &["chief-nurse"]),
            ("chief-nurse", "Chief Nurse", 3, 10, &[]),
            ("skills-facilitator", "Clinical Skills Facilitator", 4, 5, &["practice-educator"]),
            ("practice-educator", "Clinical Practice Educator", 4, 6, &["education-lead"]),
            ("education-lead", "Lead Nurse for Education", 4, 7, &["head-of-nursing"]),
            ("research-nurse", "Research Nurse", 5, 5, &["senior-research-nurse"]),
            ("senior-research-nurse", "Senior Research Nurse", 5, 6, &["consultant-nurse"]),
        ],
        &[
            "Nursing student",
            "Care home support worker",
            "Paramedic",
            "Nurse overseas",
            "Pharmacy assistant",
            "Career break",
            "Military nursing",
            "Retail cashier",
        ],
    )
}
