//! Packs end to end: export (who may, what goes in, determinism), stock tools on the result,
//! verify, import (provenance, rollback), and hand-made hostile packs — each refused with its
//! own code and the target library left exactly as it was.

mod common;

use std::io::{Cursor, Write};
use std::process::Command;

use ccm_core::identity::Identity;
use ccm_core::store::Store;
use ccm_pack::error::codes;
use ccm_pack::{Layout, Limits};
use common::*;

fn brand_key() -> Vec<String> {
    vec![fixture().who("brand").member.public_key.clone()]
}

fn verify(bytes: &[u8], sig: &str) -> ccm_pack::Result<ccm_pack::Verified> {
    ccm_pack::verify_bytes(bytes, sig, &brand_key(), &Limits::default(), |_| {})
}

/// Signs `bytes` as the brand member would, with the exported pack's trusted comment, so the
/// checks after the signature are what refuses a hand-made pack.
fn signed(bytes: &[u8]) -> String {
    let manifest = entries(&pack().0)
        .into_iter()
        .find(|(n, _)| n == "manifest.json")
        .unwrap()
        .1;
    let manifest: ccm_pack::layout::PackManifest = serde_json::from_slice(&manifest).unwrap();
    fixture()
        .who("brand")
        .sign(bytes, &ccm_pack::layout::trusted_comment(&manifest))
        .unwrap()
}

fn code(r: ccm_pack::Result<impl Sized>) -> String {
    match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("not a refusal: {e}"))
            .to_owned(),
    }
}

/// The target library's state: integrity, versions, imported packs, blobs.
fn snapshot(store: &Store) -> (Vec<String>, u64, u64, usize) {
    let s = store.stats().unwrap();
    (
        store.check_integrity().unwrap(),
        s.versions,
        s.blobs,
        store.pack_imports().unwrap().len(),
    )
}

/// Verifies and imports `bytes` into a fresh target; returns the refusal code and checks the
/// target did not change.
fn refused_and_unchanged(bytes: &[u8], sig: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut target = Store::open_or_create(&dir.path().join("target.sqlite")).unwrap();
    ccm_bundled::samples::import_into(&mut target, "target").unwrap();
    let before = snapshot(&target);
    let result = verify(bytes, sig).and_then(|v| ccm_pack::import(&mut target, &v));
    let c = code(result);
    let after = snapshot(&target);
    assert_eq!(before, after, "the target library changed");
    assert!(after.0.is_empty(), "integrity: {:?}", after.0);
    c
}

fn hand_made(mutate: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut e = entries(&pack().0);
    mutate(&mut e);
    zip_of(&e)
}

#[test]
fn only_approved_current_templates_go_in_and_the_rest_say_why() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    let out = dir.path().join("sakura.ccmpack");
    let x = export_brand(&store, &f.who("brand"), &out, Layout::Generic).unwrap();
    let included: Vec<&str> = x.included.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(included, APPROVED);
    let stale = x.left_out.iter().find(|l| l.id == STALE).unwrap();
    assert!(stale.why.starts_with("stale"), "{}", stale.why);
    assert!(!stale.stale_reasons.is_empty());
    let draft = x.left_out.iter().find(|l| l.id == DRAFT).unwrap();
    assert!(draft.why.contains("never approved"), "{}", draft.why);
    assert_eq!(x.sequence, store.archive_len().unwrap());

    let names: Vec<String> = entries(&std::fs::read(&out).unwrap())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(&names[..3], ["manifest.json", "SHA256SUMS", "team.json"]);
    for id in APPROVED {
        for file in [
            format!("templates/{id}/approval/entry.json"),
            format!("templates/{id}/approval/entry.json.minisig"),
            format!("templates/{id}/approval/manifest.json"),
            format!("templates/{id}/evidence.pdf"),
            format!("templates/{id}/source/template.toml"),
            format!("templates/{id}/renditions/ja/typical/email.eml"),
        ] {
            assert!(names.contains(&file), "{file} missing from {names:?}");
        }
    }
    assert!(names.contains(&"brand/brand.toml".to_owned()));
    assert!(!names.iter().any(|n| n.contains(STALE) || n.contains(DRAFT)));
}

#[test]
fn the_same_approvals_export_to_the_same_bytes() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    let brand = f.who("brand");
    let a = export_brand(
        &store,
        &brand,
        &dir.path().join("a.ccmpack"),
        Layout::Generic,
    )
    .unwrap();
    let b = export_brand(
        &store,
        &brand,
        &dir.path().join("b.ccmpack"),
        Layout::Generic,
    )
    .unwrap();
    assert_eq!(a.sha256, b.sha256);
    let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
    assert_eq!(read("a.ccmpack"), read("b.ccmpack"));
    // minisign's signatures are hedged (randomised), so the two .minisig files differ; both
    // verify the same bytes.
    for sig in ["a.ccmpack.minisig", "b.ccmpack.minisig"] {
        let sig = String::from_utf8(read(sig)).unwrap();
        verify(&read("a.ccmpack"), &sig).unwrap();
    }
    assert_eq!(a.pack_id, b.pack_id);
}

#[test]
fn only_a_brand_member_on_the_roster_exports() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    for who in ["officer", "outsider"] {
        let e = export_brand(
            &store,
            &f.who(who),
            &dir.path().join("x.ccmpack"),
            Layout::Generic,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(codes::NOT_BRAND), "{who}: {e}");
    }
    assert!(!dir.path().join("x.ccmpack").exists());
}

#[test]
fn stock_minisign_unzip_and_sha256sum_accept_the_pack() {
    let (bytes, sig) = pack();
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.ccmpack");
    std::fs::write(&pack, bytes).unwrap();
    std::fs::write(dir.path().join("p.ccmpack.minisig"), sig).unwrap();
    let have = |tool: &str| Command::new(tool).arg("-h").output().is_ok();
    if have("minisign") {
        let key = &brand_key()[0];
        let out = Command::new("minisign")
            .args(["-Vm", pack.to_str().unwrap(), "-P", key])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("ccm pack"), "{said}");
    } else {
        eprintln!("minisign not installed: stock signature check skipped");
    }
    if have("unzip") && Command::new("sha256sum").arg("--version").output().is_ok() {
        let unpacked = dir.path().join("unpacked");
        let out = Command::new("unzip")
            .args([
                "-q",
                pack.to_str().unwrap(),
                "-d",
                unpacked.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("sha256sum")
            .args(["-c", "--strict", "SHA256SUMS"])
            .current_dir(&unpacked)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let checked = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(
            checked + 1,
            entries(bytes).len(),
            "every entry but SHA256SUMS is checked"
        );
    } else {
        eprintln!("unzip or sha256sum not installed: stock hash check skipped");
    }
}

#[test]
fn a_verified_pack_imports_with_its_approvals_and_where_they_came_from() {
    let (bytes, sig) = pack();
    let v = verify(bytes, sig).unwrap();
    let report = v.report();
    assert_eq!(report.brand, BRAND);
    assert_eq!(report.templates.len(), 2);
    assert_eq!(report.signed_by.name, "Ren Brand");

    let dir = tempfile::tempdir().unwrap();
    let mut target = Store::open_or_create(&dir.path().join("target.sqlite")).unwrap();
    let imported = ccm_pack::import(&mut target, &v).unwrap();
    assert_eq!(imported.templates.len(), 2);
    for id in APPROVED {
        let a = ccm_pack::imported_approval(&target, id).unwrap().unwrap();
        assert_eq!(a.pack_id, v.manifest.pack_id);
        assert_eq!(a.brand, BRAND);
        assert_eq!(a.signed_by, "Ren Brand");
        assert_eq!(a.approved_by, "佐藤 花子");
        assert!(a.current);
        assert!(a.label().0.starts_with("approved (imported from pack "));
        let t = target.get(id, None).unwrap();
        assert_eq!(t.hash.0, a.version_hash);
    }
    assert!(ccm_pack::imported_approval(&target, DRAFT)
        .unwrap()
        .is_none());
    // The brand kit came along, so the imported templates render in this library.
    assert!(target.brand(BRAND).is_ok());
    assert!(target.check_integrity().unwrap().is_empty());

    let again = ccm_pack::import(&mut target, &v).unwrap_err();
    assert_eq!(again.code(), Some(codes::ALREADY_IMPORTED));
}

#[test]
fn an_older_pack_of_the_same_brand_is_refused_after_a_newer_one() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut store = f.library_copy(dir.path());
    let brand = f.who("brand");
    let old_path = dir.path().join("old.ccmpack");
    let old = export_brand(&store, &brand, &old_path, Layout::Generic).unwrap();
    approve(&mut store, &f.who("designer"), &f.who("officer"), STALE);
    let new_path = dir.path().join("new.ccmpack");
    let new = export_brand(&store, &brand, &new_path, Layout::Generic).unwrap();
    assert!(new.sequence > old.sequence);
    assert_eq!(new.included.len(), 3);

    let mut target = Store::open_or_create(&dir.path().join("target.sqlite")).unwrap();
    let read = |p: &std::path::Path| {
        ccm_pack::verify_file(p, &brand_key(), &Limits::default(), |_| {}).unwrap()
    };
    ccm_pack::import(&mut target, &read(&new_path)).unwrap();
    let before = snapshot(&target);
    let e = ccm_pack::import(&mut target, &read(&old_path)).unwrap_err();
    assert_eq!(e.code(), Some(codes::ROLLBACK), "{e}");
    assert_eq!(snapshot(&target), before);
}

#[test]
fn the_channels_layout_adds_one_file_per_channel_persona_and_locale() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    let out = dir.path().join("c.ccmpack");
    export_brand(&store, &f.who("brand"), &out, Layout::Channels).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let sig = std::fs::read_to_string(dir.path().join("c.ccmpack.minisig")).unwrap();
    verify(&bytes, &sig).unwrap();
    let names: Vec<String> = entries(&bytes).into_iter().map(|(n, _)| n).collect();
    let id = APPROVED[0];
    for want in [
        format!("email/{id}/ja/typical.eml"),
        format!("sms/{id}/ja/typical.json"),
        format!("print/{id}/ja/typical.pdf"),
    ] {
        assert!(names.contains(&want), "{want} missing");
    }
}

// ---- hostile packs ----

#[test]
fn a_changed_byte_or_another_key_fails_the_signature() {
    let (bytes, sig) = pack();
    let mut changed = bytes.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    assert_eq!(refused_and_unchanged(&changed, sig), codes::BAD_SIGNATURE);
    let other = fixture().who("outsider").sign(bytes, "x").unwrap();
    assert_eq!(refused_and_unchanged(bytes, &other), codes::BAD_SIGNATURE);
}

#[test]
fn path_traversal_and_absolute_names_are_refused() {
    for name in ["../evil.sh", "templates/../../evil.sh", "/etc/cron.d/evil"] {
        let z = hand_made(|e| e.push((name.to_owned(), b"x".to_vec())));
        assert_eq!(
            refused_and_unchanged(&z, &signed(&z)),
            codes::UNSAFE_NAME,
            "{name}"
        );
    }
}

#[test]
fn a_symlink_entry_is_refused() {
    let mut e = entries(&pack().0);
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in e.drain(..) {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.add_symlink("templates/link", "/etc/passwd", opts)
        .unwrap();
    let z = z.finish().unwrap().into_inner();
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::SYMLINK);
}

#[test]
fn duplicate_names_are_refused() {
    // The zip writer will not write one name twice; write two and rename one in the bytes.
    let z = hand_made(|e| {
        e.push(("dup-a.txt".to_owned(), b"first".to_vec()));
        e.push(("dup-b.txt".to_owned(), b"second".to_vec()));
    });
    let z = replace_all(&z, b"dup-b.txt", b"dup-a.txt");
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::DUPLICATE);
}

#[test]
fn a_nul_byte_in_a_name_is_refused() {
    let z = hand_made(|e| e.push(("templates/evilXsh".to_owned(), b"x".to_vec())));
    let z = replace_all(&z, b"templates/evilXsh", b"templates/evil\0sh");
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::UNSAFE_NAME);
}

#[test]
fn an_entry_not_in_the_manifest_is_refused() {
    let z = hand_made(|e| e.push(("templates/extra.html".to_owned(), b"<script>".to_vec())));
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::UNLISTED);
}

#[test]
fn a_manifest_entry_missing_from_the_zip_is_refused() {
    let z = hand_made(|e| e.retain(|(n, _)| !n.ends_with("/evidence.pdf")));
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::MISSING);
}

#[test]
fn a_changed_rendition_is_a_hash_mismatch() {
    let z = hand_made(|e| {
        let (_, b) = e
            .iter_mut()
            .find(|(n, _)| n.ends_with("email.html"))
            .unwrap();
        b.extend_from_slice(b"<a href=https://phish.example>");
    });
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::HASH_MISMATCH);
}

#[test]
fn an_encrypted_entry_is_refused() {
    let z = hand_made(|_| {});
    // General-purpose flag bit 0 (encrypted) on every local and central header.
    let mut z = z;
    set_flag_bit0(&mut z, b"PK\x03\x04", 6);
    set_flag_bit0(&mut z, b"PK\x01\x02", 8);
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::ENCRYPTED);
}

#[test]
fn zip_bombs_are_refused_by_ratio_total_size_and_entry_count() {
    let z = hand_made(|e| e.push(("bomb.bin".to_owned(), vec![0u8; 16 << 20])));
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::ZIP_BOMB);

    let (bytes, sig) = pack();
    let tight = |limits: Limits| {
        code(ccm_pack::verify_bytes(
            bytes,
            sig,
            &brand_key(),
            &limits,
            |_| {},
        ))
    };
    assert_eq!(
        tight(Limits {
            max_entries: 10,
            ..Limits::default()
        }),
        codes::TOO_MANY_ENTRIES
    );
    assert_eq!(
        tight(Limits {
            max_total_bytes: 100_000,
            ..Limits::default()
        }),
        codes::ZIP_BOMB
    );
    // Many tiny entries: refused on the count before anything is inflated.
    let many = hand_made(|e| {
        for i in 0..2_000 {
            e.push((format!("f/{i}"), Vec::new()));
        }
    });
    let limits = Limits {
        max_entries: 1_000,
        ..Limits::default()
    };
    let r = ccm_pack::verify_bytes(&many, &signed(&many), &brand_key(), &limits, |_| {});
    assert_eq!(code(r), codes::TOO_MANY_ENTRIES);
}

#[test]
fn a_truncated_pack_is_refused() {
    let (bytes, _) = pack();
    for len in [bytes.len() - 10, bytes.len() / 2, 100] {
        let cut = &bytes[..len];
        assert_eq!(
            refused_and_unchanged(cut, &signed(cut)),
            codes::NOT_ZIP,
            "{len}"
        );
    }
}

#[test]
fn an_approval_signed_by_someone_outside_compliance_is_refused() {
    // Replace one approval's signature with the brand member's: hashes still match the
    // manifest only if the manifest is rebuilt, so swap the signature file and its listings.
    let outsider: Identity = fixture().who("outsider");
    let z = hand_made(|e| {
        let id = APPROVED[0];
        let body = e
            .iter()
            .find(|(n, _)| *n == format!("templates/{id}/approval/entry.json"))
            .unwrap()
            .1
            .clone();
        let forged = outsider.sign(&body, "forged").unwrap().into_bytes();
        relist(
            e,
            &format!("templates/{id}/approval/entry.json.minisig"),
            forged,
        );
    });
    assert_eq!(refused_and_unchanged(&z, &signed(&z)), codes::APPROVAL);
}

// ---- helpers ----

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = hay.to_vec();
    let mut i = 0;
    let mut n = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            n += 1;
        }
        i += 1;
    }
    assert!(
        n >= 2,
        "expected the name in the local header and the directory"
    );
    out
}

fn set_flag_bit0(z: &mut [u8], signature: &[u8], offset: usize) {
    let mut i = 0;
    while i + 4 <= z.len() {
        if &z[i..i + 4] == signature && i + offset < z.len() {
            z[i + offset] |= 1;
        }
        i += 1;
    }
}

/// Replaces an entry's bytes and updates the manifest and SHA256SUMS to match, as a forger
/// with no key of the team would.
fn relist(e: &mut [(String, Vec<u8>)], path: &str, bytes: Vec<u8>) {
    use sha2::Digest;
    let hex = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    let old = {
        let (_, b) = e.iter_mut().find(|(n, _)| n == path).unwrap();
        let old = hex(b);
        *b = bytes.clone();
        old
    };
    let new = hex(&bytes);
    let manifest = {
        let (_, m) = e.iter_mut().find(|(n, _)| n == "manifest.json").unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(m).unwrap();
        for t in v["templates"].as_array_mut().unwrap() {
            for f in t["files"].as_array_mut().unwrap() {
                if f["path"] == path {
                    f["sha256"] = new.clone().into();
                    f["size"] = bytes.len().into();
                }
            }
        }
        *m = serde_json::to_vec_pretty(&v).unwrap();
        m.push(b'\n');
        m.clone()
    };
    let (_, sums) = e.iter_mut().find(|(n, _)| n == "SHA256SUMS").unwrap();
    let text = String::from_utf8(sums.clone()).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            let (h, p) = l.split_once("  ").unwrap();
            let h = if p == path {
                new.clone()
            } else if p == "manifest.json" {
                hex(&manifest)
            } else {
                assert!(h != old || p != path);
                h.to_owned()
            };
            format!("{h}  {p}\n")
        })
        .collect();
    *sums = text.into_bytes();
}

/// `(approval entry seq, evidence PDF)` of every template in `pack`.
fn evidence_in(pack: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let e = entries(pack);
    let manifest = &e.iter().find(|(n, _)| n == "manifest.json").unwrap().1;
    let manifest: ccm_pack::layout::PackManifest = serde_json::from_slice(manifest).unwrap();
    manifest
        .templates
        .iter()
        .map(|t| {
            let path = format!("templates/{}/evidence.pdf", t.id);
            let pdf = e.iter().find(|(n, _)| *n == path).unwrap().1.clone();
            (t.approval.seq, pdf)
        })
        .collect()
}

#[test]
fn each_approval_keeps_its_evidence_pdf_and_packs_copy_those_bytes() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    let out = dir.path().join("sakura.ccmpack");
    export_brand(&store, &f.who("brand"), &out, Layout::Generic).unwrap();
    let carried = evidence_in(&std::fs::read(&out).unwrap());
    assert_eq!(carried.len(), APPROVED.len());
    for (seq, pdf) in carried {
        let kept = store.evidence(seq, "en").unwrap();
        assert_eq!(kept.as_deref(), Some(&pdf[..]), "entry #{seq}");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}

#[test]
fn an_approval_from_before_kept_evidence_gets_its_pdf_made_once_and_kept() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    // A library whose approvals were recorded before evidence PDFs were kept (schema 4).
    {
        let conn = rusqlite::Connection::open(store.path().unwrap()).unwrap();
        conn.execute_batch(
            "DROP TRIGGER archive_evidence_append_only_delete; DELETE FROM archive_evidence;",
        )
        .unwrap();
    }
    let seqs: Vec<u64> = store
        .archive_rows()
        .unwrap()
        .iter()
        .filter(|r| r.kind == "approve")
        .map(|r| r.seq)
        .collect();
    assert!(seqs
        .iter()
        .all(|s| store.evidence(*s, "en").unwrap().is_none()));

    let brand = f.who("brand");
    let a = export_brand(
        &store,
        &brand,
        &dir.path().join("a.ccmpack"),
        Layout::Generic,
    )
    .unwrap();
    for (seq, pdf) in evidence_in(&std::fs::read(&a.path).unwrap()) {
        assert_eq!(store.evidence(seq, "en").unwrap(), Some(pdf), "#{seq} kept");
    }
    let b = export_brand(
        &store,
        &brand,
        &dir.path().join("b.ccmpack"),
        Layout::Generic,
    )
    .unwrap();
    assert_eq!(a.sha256, b.sha256, "the kept PDF gives the same pack again");
}

#[test]
fn the_plan_lists_what_goes_in_and_why_the_rest_is_left_out_before_anything_is_written() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = f.library_copy(dir.path());
    let plan = ccm_pack::plan(
        &store,
        &rules(),
        &ccm_pack::Selection {
            brand: Some(BRAND.to_owned()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(plan.brand, BRAND);
    let ids: Vec<&str> = plan.included.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, APPROVED);
    assert!(plan.included.iter().all(|p| p.approved_by == "佐藤 花子"));
    let stale = plan.left_out.iter().find(|l| l.id == STALE).unwrap();
    assert!(stale.why.starts_with("stale"), "{}", stale.why);
    assert!(stale.why_ja.starts_with("承認失効"), "{}", stale.why_ja);
    let draft = plan.left_out.iter().find(|l| l.id == DRAFT).unwrap();
    assert!(
        draft.why_ja.contains("承認されたことがありません"),
        "{}",
        draft.why_ja
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| e
        .unwrap()
        .path()
        .extension()
        .is_none_or(|x| x != "ccmpack")));
}
