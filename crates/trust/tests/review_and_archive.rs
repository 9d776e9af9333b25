//! The review process and the archive on a real library file: four-eyes, roles, waivers,
//! superseded requests, staleness per input kind, and one fixture per kind of tampering
//! (raw SQL on the file, the way someone with the file in hand would do it).

use ccm_core::identity::{Identity, Member, Role};
use ccm_core::model::Block;
use ccm_core::store::Store;
use ccm_core::team::Roster;
use ccm_render::Engine;
use ccm_rules::RuleSet;
use ccm_trust::error::codes;
use ccm_trust::review::{self, Reviewer, State, WaiverRequest};
use ccm_trust::verify::{verify, Tamper};
use ccm_trust::TrustError;
use time::macros::date;

const CLEAN: &str = "jp-bank-payment-reminder";

struct World {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    rules: RuleSet,
    engine: Engine,
    designer: Identity,
    officer: Identity,
    officer2: Identity,
}

fn member(id: &Identity) -> Member {
    id.member.clone()
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let designer =
        Identity::create(&dir.path().join("aiko"), "Aiko Designer", Role::Designer).unwrap();
    let officer =
        Identity::create(&dir.path().join("hanako"), "佐藤 花子", Role::Compliance).unwrap();
    let officer2 =
        Identity::create(&dir.path().join("kenji"), "Kenji Officer", Role::Compliance).unwrap();
    let path = dir.path().join("library.sqlite");
    let mut store = Store::open_or_create(&path).unwrap();
    store.set_author_key(Some(designer.fingerprint.clone()));
    ccm_bundled::samples::import_into(&mut store, "import").unwrap();
    let roster = Roster::new([member(&designer), member(&officer), member(&officer2)]).unwrap();
    store.write(|w| w.save_team(&roster, "test")).unwrap();
    World {
        dir,
        path,
        store,
        rules: ccm_bundled::rules::bundled().unwrap(),
        engine: Engine::new(),
        designer,
        officer,
        officer2,
    }
}

fn refused_code(e: TrustError) -> &'static str {
    match e {
        TrustError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other}"),
    }
}

impl World {
    fn approve_as(
        &mut self,
        who: &str,
        id: &str,
        waivers: &[WaiverRequest],
    ) -> Result<ccm_trust::archive::Appended, TrustError> {
        let identity = match who {
            "designer" => &self.designer,
            "officer" => &self.officer,
            _ => &self.officer2,
        };
        let reviewer = Reviewer {
            engine: &self.engine,
            rules: &self.rules,
        };
        review::approve(
            &mut self.store,
            &reviewer,
            identity,
            id,
            None,
            waivers,
            date!(2026 - 12 - 03),
        )
    }

    fn approve(&mut self, who: &str) -> Result<ccm_trust::archive::Appended, TrustError> {
        self.approve_as(who, CLEAN, &[])
    }

    fn state(&self) -> review::Status {
        review::status(&self.store, &self.rules, CLEAN).unwrap()
    }

    fn identity(&self, folder: &str) -> Identity {
        Identity::load(&self.dir.path().join(folder))
            .unwrap()
            .unwrap()
    }

    /// Saves a new version of the clean sample with one line appended to its email.
    fn edit_as(&mut self, who: &Identity, line: &str) {
        let mut files = self.store.get(CLEAN, None).unwrap().files;
        let email = files
            .0
            .keys()
            .find(|k| k.starts_with("email"))
            .unwrap()
            .clone();
        files.0.get_mut(&email).unwrap().push_str(line);
        self.store.set_author_key(Some(who.fingerprint.clone()));
        self.store.save_template(files, "app", "edit").unwrap();
    }
}

#[test]
fn submit_approve_with_four_eyes_and_roles() {
    let mut w = world();
    assert_eq!(w.state().state, State::Draft);
    assert_eq!(
        refused_code(w.approve("officer").unwrap_err()),
        codes::NOT_IN_REVIEW,
        "nothing to approve before a submission"
    );

    review::submit(
        &mut w.store,
        &w.rules,
        &w.designer,
        CLEAN,
        Some("ready".into()),
    )
    .unwrap();
    assert_eq!(w.state().state, State::InReview);
    let again = review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap_err();
    assert_eq!(refused_code(again), codes::ALREADY_IN_REVIEW);

    assert_eq!(
        refused_code(w.approve("designer").unwrap_err()),
        codes::WRONG_ROLE
    );
    let approved = w.approve("officer").unwrap();
    let a = approved.entry.approval.as_ref().unwrap();
    assert_eq!(a.meaning, "approved for sending");
    assert_eq!(a.channels, vec!["email", "sms", "push", "print"]);
    assert!(a.authors.contains(&w.designer.fingerprint));
    assert_eq!(w.state().state, State::Approved);

    // Kenji (compliance) edits it: he may not approve his own change; Hanako may.
    let kenji = w.identity("kenji");
    w.edit_as(&kenji, "\n追記です。\n");
    let st = w.state();
    assert_eq!(st.state, State::Stale);
    assert_eq!(st.stale_reasons[0].input, "template");
    review::submit(&mut w.store, &w.rules, &kenji, CLEAN, None).unwrap();
    assert_eq!(
        refused_code(w.approve("officer2").unwrap_err()),
        codes::SELF_APPROVAL
    );
    w.approve("officer").unwrap();
    assert_eq!(w.state().state, State::Approved);

    let report = verify(&w.store, &[]).unwrap();
    assert!(report.ok(), "{:?}", report.problem);
    assert_eq!(report.approvals, 2);
    assert!(report.renditions > 8);
}

#[test]
fn an_edit_during_review_supersedes_the_request() {
    let mut w = world();
    review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap();
    let designer = w.identity("aiko");
    w.edit_as(&designer, "\nmore\n");
    let st = w.state();
    assert_eq!(st.state, State::Draft);
    assert_eq!(st.superseded.as_ref().unwrap().version, 1);
    assert_eq!(
        refused_code(w.approve("officer").unwrap_err()),
        codes::SUPERSEDED
    );
}

#[test]
fn errors_need_a_waiver_each_with_a_reason() {
    let mut w = world();
    let bad = "jp-cosme-campaign-noncompliant";
    review::submit(&mut w.store, &w.rules, &w.designer, bad, None).unwrap();
    let TrustError::Refused(r) = w.approve_as("officer", bad, &[]).unwrap_err() else {
        panic!("refusal expected")
    };
    assert_eq!(r.code, codes::UNWAIVED_ERRORS);
    // Waive every rule the refusal listed.
    let rules: Vec<String> = r
        .message
        .en
        .split(": ")
        .last()
        .unwrap()
        .split(", ")
        .map(|s| s.split(" ×").next().unwrap().to_owned())
        .collect();
    assert!(!rules.is_empty());
    let nothing = [WaiverRequest {
        rule: "no/such-rule".into(),
        reason: "x".into(),
    }];
    assert_eq!(
        refused_code(w.approve_as("officer", bad, &nothing).unwrap_err()),
        codes::NOTHING_TO_WAIVE
    );
    let waivers: Vec<WaiverRequest> = rules
        .iter()
        .map(|r| WaiverRequest {
            rule: r.clone(),
            reason: "legal approved the wording on 2026-12-01".into(),
        })
        .collect();
    let ok = w.approve_as("officer", bad, &waivers).unwrap();
    assert_eq!(ok.entry.approval.unwrap().waivers.len(), rules.len());
}

#[test]
fn a_block_change_makes_the_approval_stale_naming_the_block() {
    let mut w = world();
    review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap();
    w.approve("officer").unwrap();
    let bundle = w.store.bundle(CLEAN, None).unwrap();
    let used = ccm_trust::inputs::used_blocks(&bundle)
        .into_iter()
        .next()
        .cloned()
        .expect("the sample includes a block");
    let mut changed: Block = used.clone();
    changed.content.push_str("\n改定しました。\n");
    changed.hash = ccm_core::model::ContentHash::of_bytes(changed.content.as_bytes());
    w.store.write(|wr| wr.save_block(&changed, "app")).unwrap();
    let st = w.state();
    assert_eq!(st.state, State::Stale);
    assert_eq!(st.stale_reasons[0].input, "block");
    assert!(st.stale_reasons[0].name.starts_with(&used.name));
}

#[test]
fn a_brand_colour_change_lists_the_approval_it_makes_stale_and_the_channels_it_changes() {
    use ccm_core::brand_edit::{apply_edit, BrandEdit};
    use ccm_trust::brand_change::{brand_change_impact, ChannelState};
    let mut w = world();
    review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap();
    w.approve("officer").unwrap();
    let current = w.store.brand("sakura-bank").unwrap();
    let today = date!(2026 - 12 - 03);

    let unchanged = apply_edit(&current, &BrandEdit::default());
    assert!(
        brand_change_impact(&w.store, &w.engine, &w.rules, &unchanged.brand, today)
            .unwrap()
            .is_empty()
    );

    let mut edit = BrandEdit::default();
    edit.colors.insert("primary".into(), "#0B5394".into());
    let outcome = apply_edit(&current, &edit);
    assert!(outcome.changed && outcome.is_valid());
    let impact = brand_change_impact(&w.store, &w.engine, &w.rules, &outcome.brand, today).unwrap();
    assert_eq!(impact.len(), 1, "only the approved template: {impact:?}");
    let t = &impact[0];
    assert_eq!(t.template_id, CLEAN);
    assert_eq!(t.reasons[0].input, "brand");
    assert_eq!(t.locale, "ja");
    let state = |c: &str| {
        t.channels
            .iter()
            .find(|x| x.channel.as_str() == c)
            .unwrap()
            .state
    };
    assert_eq!(state("email"), ChannelState::Changed, "{t:?}");
    assert!(t.channels[0].files.contains(&"email.html".to_owned()));
    assert_eq!(
        state("sms"),
        ChannelState::Unchanged,
        "SMS has no colours: {t:?}"
    );
    // Nothing was saved: the approval still stands.
    assert_eq!(w.state().state, State::Approved);
}

/// A library with three entries (submit, approve, comment), then `sql` run on the raw file.
fn tampered(sql: &str) -> Option<ccm_trust::verify::Problem> {
    let mut w = world();
    review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap();
    w.approve("officer").unwrap();
    review::comment(&mut w.store, &w.officer, CLEAN, "looks good".into(), None).unwrap();
    assert!(verify(&w.store, &[]).unwrap().ok());
    let raw = rusqlite::Connection::open(&w.path).unwrap();
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER archive_entries_append_only_update;
         DROP TRIGGER archive_entries_append_only_delete;",
    )
    .unwrap();
    raw.execute_batch(sql).unwrap();
    drop(raw);
    let store = Store::open(&w.path).unwrap();
    verify(&store, &[]).unwrap().problem
}

#[test]
fn each_kind_of_tampering_is_named() {
    let cases = [
        (
            "UPDATE archive_entries SET body = replace(body, 'looks good', 'looks bad') WHERE seq = 3",
            Tamper::ContentChanged,
        ),
        ("DELETE FROM archive_entries WHERE seq = 2", Tamper::EntryDeleted),
        (
            "UPDATE archive_entries SET seq = seq + 10 WHERE seq IN (2, 3);
             UPDATE archive_entries SET seq = 2 WHERE seq = 13;
             UPDATE archive_entries SET seq = 3 WHERE seq = 12;",
            Tamper::EntriesReordered,
        ),
        ("DELETE FROM archive_entries WHERE seq = 3", Tamper::HeadRolledBack),
        (
            "UPDATE archive_entries SET signature =
               (SELECT signature FROM archive_entries WHERE seq = 2) WHERE seq = 3",
            Tamper::SignatureInvalid,
        ),
        (
            "UPDATE blobs SET bytes = X'00' WHERE hash IN
               (SELECT hash FROM blobs ORDER BY size DESC LIMIT 1)",
            Tamper::ContentChanged,
        ),
    ];
    for (sql, kind) in cases {
        let p = tampered(sql).unwrap_or_else(|| panic!("`{sql}` went unnoticed"));
        assert_eq!(p.kind, kind, "`{sql}`: {}", p.message);
    }
}

#[test]
fn rerender_of_an_untouched_archive_is_identical() {
    let mut w = world();
    review::submit(&mut w.store, &w.rules, &w.designer, CLEAN, None).unwrap();
    w.approve("officer").unwrap();
    let out = ccm_trust::rerender::rerender_all(&w.store, &w.engine, &w.rules, None).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].error, None);
    assert!(out[0].differ.is_empty(), "{:?}", out[0].differ);
}
