//! Packs through the real `ccm` binary, as a brand team and a sending team would use them:
//! approve, export as the brand member (the officer may not), check with the key alone, import
//! into another library, and see an altered pack refused with nothing written.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{ccm_as, json, json_as, ok};

const ID: &str = "jp-bank-payment-reminder";

fn refusal(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(out)["error"]["code"].as_str().unwrap().to_owned()
}

#[test]
fn brand_exports_a_signed_pack_that_another_library_verifies_and_imports() {
    let temp = tempfile::tempdir().unwrap();
    let who = |n: &str| -> PathBuf { temp.path().join(n) };
    let lib = who("sender.sqlite");
    let people = [
        ("aiko", "Aiko Designer", "designer"),
        ("hanako", "佐藤 花子", "compliance"),
        ("ren", "Ren Brand", "brand"),
    ];
    let mut keys = Vec::new();
    for (dir, name, role) in people {
        let v = json_as(
            &who(dir),
            &lib,
            &["id", "init", "--name", name, "--role", role],
        );
        keys.push((name, role, v["public_key"].as_str().unwrap().to_owned()));
    }
    let (aiko, hanako, ren) = (who("aiko"), who("hanako"), who("ren"));
    ok(&ccm_as(&aiko, &lib, &["import", "--samples"]), "import");
    for (name, role, key) in &keys {
        ok(
            &ccm_as(
                &aiko,
                &lib,
                &["team", "add", "--name", name, "--role", role, "--key", key],
            ),
            "team add",
        );
    }
    json_as(&aiko, &lib, &["review", "submit", ID]);
    json_as(&hanako, &lib, &["review", "approve", ID]);

    let pack = who("sakura.ccmpack");
    let pack_arg = pack.to_str().unwrap();
    // The officer is not a brand member: refused, nothing written.
    let by_officer = ccm_as(
        &hanako,
        &lib,
        &[
            "pack",
            "export",
            "--brand",
            "sakura-bank",
            "--out",
            pack_arg,
            "--json",
        ],
    );
    assert_eq!(refusal(&by_officer), "PACK_NOT_BRAND");
    assert!(!pack.exists());

    let x = json_as(
        &ren,
        &lib,
        &[
            "pack",
            "export",
            "--brand",
            "sakura-bank",
            "--out",
            pack_arg,
        ],
    );
    assert_eq!(x["included"][0]["id"], ID);
    assert!(x["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == "jp-bank-welcome"
            && l["why"].as_str().unwrap().contains("never approved")));
    assert!(who("sakura.ccmpack.minisig").exists());
    let ren_key = keys[2].2.clone();

    // The sending team has only the key: verify, then import into their own library.
    let target = who("sending-team.sqlite");
    let stranger = who("nobody");
    let v = json_as(
        &stranger,
        &target,
        &["pack", "verify", pack_arg, "--key", &ren_key],
    );
    assert_eq!(v["ok"], true);
    assert_eq!(v["brand"], "sakura-bank");
    ok(&ccm_as(&stranger, &target, &["init"]), "init target");
    let imported = json_as(
        &stranger,
        &target,
        &["pack", "import", pack_arg, "--key", &ren_key],
    );
    assert_eq!(imported["templates"][0]["id"], ID);
    let shown = json_as(&stranger, &target, &["show", ID]);
    assert!(shown.to_string().contains(ID));

    // Importing the same pack again is refused; so is an altered copy, with nothing written.
    let again = ccm_as(
        &stranger,
        &target,
        &["pack", "import", pack_arg, "--key", &ren_key, "--json"],
    );
    assert_eq!(refusal(&again), "PACK_ALREADY_IMPORTED");
    let mut bytes = std::fs::read(&pack).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    let altered = who("altered.ccmpack");
    std::fs::write(&altered, &bytes).unwrap();
    std::fs::copy(
        who("sakura.ccmpack.minisig"),
        who("altered.ccmpack.minisig"),
    )
    .unwrap();
    let out = ccm_as(
        &stranger,
        &target,
        &[
            "pack",
            "verify",
            altered.to_str().unwrap(),
            "--key",
            &ren_key,
            "--json",
        ],
    );
    assert_eq!(refusal(&out), "PACK_BAD_SIGNATURE");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hint:"), "{stderr}");

    // Without --key, the receiving library's brand members are the keys: here there are none.
    let out = ccm_as(&stranger, &target, &["pack", "verify", pack_arg, "--json"]);
    assert_eq!(refusal(&out), "PACK_NO_KEY");
}
