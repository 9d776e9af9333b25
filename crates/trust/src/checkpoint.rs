//! Signed tree heads of the archive ("checkpoints") in the C2SP formats, so that tools outside
//! CCM Studio can read and check them:
//!
//! - c2sp.org/tlog-checkpoint: the body is the origin line, the tree size in decimal, and the
//!   base64 root hash of the [`crate::merkle`] tree, each ending in a newline;
//! - c2sp.org/signed-note: the body, a blank line, then one or more lines
//!   `— <key name> base64(key id ‖ Ed25519 signature)`, where key id = the first 4 bytes of
//!   SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key) and the signature is plain Ed25519 over the
//!   body bytes.
//!
//! The key is the person's minisign key ([`Identity::sign_ed25519`]); the verifier takes the
//! same public key line (`RW…`) the team roster holds. A checkpoint printed into an evidence
//! PDF or mailed to compliance is the outside anchor: dropping the last archive entries is
//! only detectable against a checkpoint kept elsewhere.
//!
//! CCM Studio writes checkpoints without extension lines and refuses notes that have them:
//! nothing of ours would read them, and an unread signed line only invites confusion.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ccm_core::identity::{ed25519_public_key, verify_ed25519, Identity};
use sha2::{Digest, Sha256};

use crate::merkle::Hash;

/// The signed-note signature type byte of plain Ed25519.
const ED25519_TYPE: u8 = 0x01;
/// More signature lines than this are refused (the format asks verifiers to accept at least
/// 16): a checkpoint carries a handful, and a note of thousands is an attack on the reader.
const MAX_SIGNATURES: usize = 100;

/// A tree head: the archive named `origin` had `size` entries with Merkle root `root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
}

/// One signature line of a note, not yet checked against any key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    pub key_name: String,
    pub key_id: [u8; 4],
    /// The signature bytes after the key id (64 for Ed25519; other types may differ).
    pub signature: Vec<u8>,
}

/// What is wrong with a checkpoint, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint origin {0:?} is not usable: it must be one non-empty line of printable text")]
    BadOrigin(String),

    #[error("the key name {0:?} is not usable in a signed note: it must be non-empty, without spaces or `+`")]
    BadKeyName(String),

    #[error("the checkpoint text is damaged: {0}. Copy the whole checkpoint again from where it was kept (evidence PDF, mail), without reformatting it")]
    Malformed(String),

    #[error("the checkpoint has extension lines after the root hash, which CCM Studio checkpoints never have: it was not written by CCM Studio or was edited")]
    ExtensionLines,

    #[error("the public key for `{name}` is not a minisign Ed25519 key line: {reason}. Use the key line from the team roster (it starts with RW)")]
    BadPublicKey { name: String, reason: String },

    #[error("the checkpoint has no signature by `{name}` with key id {key_id} (it is signed by: {found}). Check that the key name and public key are those of the person who signed it")]
    NotSignedByKey {
        name: String,
        key_id: String,
        found: String,
    },

    #[error("the signature by `{name}` does not verify: the checkpoint was changed after it was signed. Do not trust it; compare it with the copy kept elsewhere")]
    BadSignature { name: String },
}

impl Checkpoint {
    /// A tree head; `origin` names the archive (for instance `ccm-studio/<library id>`).
    pub fn new(origin: &str, size: u64, root: Hash) -> Result<Checkpoint, CheckpointError> {
        if origin.is_empty() || origin.chars().any(char::is_control) {
            return Err(CheckpointError::BadOrigin(origin.to_owned()));
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn root(&self) -> &Hash {
        &self.root
    }

    /// The note text that is signed: `<origin>\n<size>\n<base64 root>\n`.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root)
        )
    }

    /// The whole signed note: the body, a blank line and the signature of `identity` under
    /// `key_name` (non-empty, no spaces or `+`; C2SP recommends the origin or a URL-like name).
    pub fn sign(&self, key_name: &str, identity: &Identity) -> Result<String, CheckpointError> {
        check_key_name(key_name)?;
        let body = self.body();
        let signature = identity.sign_ed25519(body.as_bytes());
        let line = signature_line(key_name, &identity.ed25519_public(), &signature);
        Ok(format!("{body}\n{line}"))
    }

    /// Reads a signed checkpoint without checking any signature: for display and for finding
    /// who signed it. Trust the result only through [`Checkpoint::verify`].
    pub fn parse(note: &str) -> Result<(Checkpoint, Vec<SignatureLine>), CheckpointError> {
        let (text, signatures) = split_note(note)?;
        Ok((parse_body(text)?, signatures))
    }

    /// The checkpoint in `note` if it carries a valid signature by the key named `key_name`
    /// whose minisign public key line is `public_key_line`. Signatures by other keys are
    /// ignored (witnesses may add theirs); any signature by this key that fails is an error.
    pub fn verify(
        note: &str,
        key_name: &str,
        public_key_line: &str,
    ) -> Result<Checkpoint, CheckpointError> {
        let public_key =
            ed25519_public_key(public_key_line).map_err(|e| CheckpointError::BadPublicKey {
                name: key_name.to_owned(),
                reason: e.to_string(),
            })?;
        let text = open_note(note, key_name, &public_key)?;
        parse_body(text)
    }
}

/// The note text of `note` if it carries a valid Ed25519 signature by (`key_name`,
/// `public_key`), following c2sp.org/signed-note: signatures of unknown keys are ignored, at
/// least one of this key must be present, and every one of this key must verify.
pub fn open_note<'a>(
    note: &'a str,
    key_name: &str,
    public_key: &[u8; 32],
) -> Result<&'a str, CheckpointError> {
    let (text, signatures) = split_note(note)?;
    let key_id = key_id(key_name, public_key);
    let mine: Vec<&SignatureLine> = signatures
        .iter()
        .filter(|s| s.key_name == key_name && s.key_id == key_id)
        .collect();
    if mine.is_empty() {
        let found: Vec<String> = signatures
            .iter()
            .map(|s| format!("`{}` ({})", s.key_name, hex::encode(s.key_id)))
            .collect();
        return Err(CheckpointError::NotSignedByKey {
            name: key_name.to_owned(),
            key_id: hex::encode(key_id),
            found: found.join(", "),
        });
    }
    for signature in mine {
        let valid = <&[u8; 64]>::try_from(signature.signature.as_slice())
            .is_ok_and(|sig| verify_ed25519(public_key, text.as_bytes(), sig));
        if !valid {
            return Err(CheckpointError::BadSignature {
                name: key_name.to_owned(),
            });
        }
    }
    Ok(text)
}

/// The signed-note key id of an Ed25519 key: SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[..4].
pub fn key_id(key_name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(key_name.as_bytes());
    h.update(b"\n");
    h.update([ED25519_TYPE]);
    h.update(public_key);
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

fn signature_line(key_name: &str, public_key: &[u8; 32], signature: &[u8; 64]) -> String {
    let mut blob = Vec::with_capacity(68);
    blob.extend_from_slice(&key_id(key_name, public_key));
    blob.extend_from_slice(signature);
    format!("— {key_name} {}\n", BASE64.encode(blob))
}

fn check_key_name(name: &str) -> Result<(), CheckpointError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '+') {
        return Err(CheckpointError::BadKeyName(name.to_owned()));
    }
    Ok(())
}

fn malformed(why: impl Into<String>) -> CheckpointError {
    CheckpointError::Malformed(why.into())
}

/// Splits a signed note into its text (with its final newline) and its signature lines.
fn split_note(note: &str) -> Result<(&str, Vec<SignatureLine>), CheckpointError> {
    if let Some(c) = note.chars().find(|&c| c.is_ascii_control() && c != '\n') {
        return Err(malformed(format!(
            "it contains the control character {c:?} (only line breaks are allowed; a Windows line ending or a tab was probably added)"
        )));
    }
    if !note.ends_with('\n') {
        return Err(malformed("its last line does not end with a line break"));
    }
    // The text ends at the last blank line; everything after it is signatures.
    let Some(blank) = note.rfind("\n\n") else {
        return Err(malformed(
            "it has no blank line followed by signature lines, so it is not signed",
        ));
    };
    let (text, signatures) = (&note[..=blank], &note[blank + 2..]);
    let lines: Vec<&str> = signatures.split_terminator('\n').collect();
    if lines.is_empty() {
        return Err(malformed("it has no signature lines after the blank line"));
    }
    if lines.len() > MAX_SIGNATURES {
        return Err(malformed(format!(
            "it has {} signature lines, more than the {MAX_SIGNATURES} accepted",
            lines.len()
        )));
    }
    let parsed = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            parse_signature_line(line)
                .map_err(|why| malformed(format!("signature line {}: {why}", i + 1)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((text, parsed))
}

fn parse_signature_line(line: &str) -> Result<SignatureLine, String> {
    let rest = line
        .strip_prefix("— ")
        .ok_or("it does not start with an em dash (—) and a space")?;
    let (name, blob) = rest
        .split_once(' ')
        .ok_or("it has no space between the key name and the signature")?;
    check_key_name(name).map_err(|_| format!("the key name {name:?} is not valid"))?;
    let bytes = BASE64
        .decode(blob)
        .map_err(|_| "the signature is not valid base64".to_owned())?;
    if bytes.len() <= 4 {
        return Err("the signature is too short to hold a key id and a signature".to_owned());
    }
    let (id, signature) = bytes.split_at(4);
    Ok(SignatureLine {
        key_name: name.to_owned(),
        key_id: [id[0], id[1], id[2], id[3]],
        signature: signature.to_vec(),
    })
}

/// The three lines of a checkpoint body, each exactly as [`Checkpoint::body`] writes it.
fn parse_body(text: &str) -> Result<Checkpoint, CheckpointError> {
    let lines: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect();
    let [origin, size, root, extra @ ..] = lines.as_slice() else {
        return Err(malformed(
            "a checkpoint needs three lines (origin, tree size, root hash)",
        ));
    };
    if !extra.is_empty() {
        return Err(CheckpointError::ExtensionLines);
    }
    if origin.is_empty() {
        return Err(malformed("the origin line is empty"));
    }
    let canonical_decimal = !size.is_empty()
        && size.bytes().all(|b| b.is_ascii_digit())
        && (*size == "0" || !size.starts_with('0'));
    let size = canonical_decimal
        .then(|| size.parse::<u64>().ok())
        .flatten()
        .ok_or_else(|| {
            malformed(format!(
                "the tree size {size:?} is not a decimal number without leading zeros"
            ))
        })?;
    let root: Hash = BASE64
        .decode(root)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| {
            malformed(format!(
                "the root hash {root:?} is not a base64 SHA-256 hash"
            ))
        })?;
    Checkpoint::new(origin, size, root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle;
    use ccm_core::identity::Role;

    const ORIGIN: &str = "ccm-studio.local/archive/3f1c";

    fn identity(name: &str) -> (tempfile::TempDir, Identity) {
        let dir = tempfile::tempdir().unwrap();
        let id = Identity::create(dir.path(), name, Role::Compliance).unwrap();
        (dir, id)
    }

    fn sample() -> Checkpoint {
        let leaves: Vec<Hash> = (0..5)
            .map(|i| merkle::leaf_hash(format!("{{\"entry\":{i}}}").as_bytes()))
            .collect();
        Checkpoint::new(ORIGIN, 5, merkle::root(&leaves)).unwrap()
    }

    #[test]
    fn a_signed_checkpoint_has_the_c2sp_shape_and_verifies_with_the_minisign_key_line() {
        let (_dir, alice) = identity("Alice");
        let cp = sample();
        let note = cp.sign(ORIGIN, &alice).unwrap();

        let lines: Vec<&str> = note.lines().collect();
        assert_eq!(lines.len(), 5, "{note}");
        assert_eq!(lines[0], ORIGIN);
        assert_eq!(lines[1], "5");
        assert_eq!(BASE64.decode(lines[2]).unwrap(), cp.root());
        assert_eq!(lines[3], "");
        assert!(lines[4].starts_with(&format!("— {ORIGIN} ")));
        assert!(note.starts_with(&cp.body()) && note.ends_with('\n'));
        let blob = BASE64.decode(lines[4].rsplit(' ').next().unwrap()).unwrap();
        assert_eq!(blob.len(), 4 + 64);
        assert_eq!(blob[..4], key_id(ORIGIN, &alice.ed25519_public()));

        let verified = Checkpoint::verify(&note, ORIGIN, &alice.member.public_key).unwrap();
        assert_eq!(verified, cp);
        let (parsed, signatures) = Checkpoint::parse(&note).unwrap();
        assert_eq!(parsed, cp);
        assert_eq!(signatures.len(), 1);
        assert_eq!(signatures[0].key_name, ORIGIN);
    }

    #[test]
    fn an_edited_size_root_or_origin_breaks_the_signature() {
        let (_dir, alice) = identity("Alice");
        let cp = sample();
        let note = cp.sign("alice", &alice).unwrap();
        let root_b64 = BASE64.encode(cp.root());
        let mut other_root = *cp.root();
        other_root[0] ^= 1;
        let edits = [
            note.replacen("\n5\n", "\n4\n", 1),
            note.replacen("\n5\n", "\n6\n", 1),
            note.replacen(&root_b64, &BASE64.encode(other_root), 1),
            note.replacen(ORIGIN, "ccm-studio.local/archive/3f1d", 1),
        ];
        for edited in edits {
            assert_ne!(edited, note);
            assert_eq!(
                Checkpoint::verify(&edited, "alice", &alice.member.public_key),
                Err(CheckpointError::BadSignature {
                    name: "alice".into()
                }),
                "{edited}"
            );
        }
        // A flipped bit in the signature itself.
        let sig_line = note.lines().last().unwrap();
        let mut blob = BASE64.decode(sig_line.rsplit(' ').next().unwrap()).unwrap();
        blob[40] ^= 4;
        let forged = note.replace(sig_line, &format!("— alice {}", BASE64.encode(&blob)));
        assert!(matches!(
            Checkpoint::verify(&forged, "alice", &alice.member.public_key),
            Err(CheckpointError::BadSignature { .. })
        ));
    }

    #[test]
    fn another_key_does_not_verify_and_its_signature_is_ignored_beside_a_valid_one() {
        let (_a, alice) = identity("Alice");
        let (_b, bob) = identity("Bob");
        let cp = sample();
        let by_alice = cp.sign("archive", &alice).unwrap();

        // Bob's key under the same name: the key id differs, so Alice's line is not his.
        let err = Checkpoint::verify(&by_alice, "archive", &bob.member.public_key).unwrap_err();
        assert!(
            matches!(err, CheckpointError::NotSignedByKey { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("`archive`"), "{err}");

        // A note cosigned by Bob (another name) verifies for either key.
        let bob_line = cp.sign("bob", &bob).unwrap();
        let bob_line = bob_line.lines().last().unwrap();
        let both = format!("{by_alice}{bob_line}\n");
        assert_eq!(
            Checkpoint::verify(&both, "archive", &alice.member.public_key),
            Ok(cp.clone())
        );
        assert_eq!(
            Checkpoint::verify(&both, "bob", &bob.member.public_key),
            Ok(cp.clone())
        );
        assert_eq!(Checkpoint::parse(&both).unwrap().1.len(), 2);

        // An unknown key's line that claims Alice's name (but not her key id) is ignored.
        let impostor = cp.sign("archive", &bob).unwrap();
        let impostor_line = impostor.lines().last().unwrap();
        let with_impostor = format!("{by_alice}{impostor_line}\n");
        assert_eq!(
            Checkpoint::verify(&with_impostor, "archive", &alice.member.public_key),
            Ok(cp.clone())
        );
        // But a bad signature that matches Alice's name and key id rejects the whole note.
        let (_c, carol) = identity("Carol");
        let mut blob = BASE64
            .decode(carol_line(&cp, &carol).rsplit(' ').next().unwrap())
            .unwrap();
        blob[..4].copy_from_slice(&key_id("archive", &alice.ed25519_public()));
        let forged = format!("{by_alice}— archive {}\n", BASE64.encode(&blob));
        assert!(matches!(
            Checkpoint::verify(&forged, "archive", &alice.member.public_key),
            Err(CheckpointError::BadSignature { .. })
        ));
    }

    fn carol_line(cp: &Checkpoint, carol: &Identity) -> String {
        cp.sign("archive", carol)
            .unwrap()
            .lines()
            .last()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn malformed_notes_give_errors_never_panics() {
        let (_dir, alice) = identity("Alice");
        let cp = sample();
        let note = cp.sign("alice", &alice).unwrap();
        let key = &alice.member.public_key;
        let sig_line = note.lines().last().unwrap().to_owned();
        let root = BASE64.encode(cp.root());
        let cases = [
            String::new(),
            "\n".into(),
            "\n\n".into(),
            "— alice AAAA\n".into(),
            note.trim_end().to_owned(),
            note.replace('\n', "\r\n"),
            note.replacen("\n\n", "\n", 1),
            format!("{}\n", cp.body()),
            note.replacen("\n5\n", "\n05\n", 1),
            note.replacen("\n5\n", "\n+5\n", 1),
            note.replacen("\n5\n", "\n-5\n", 1),
            note.replacen("\n5\n", "\n\n", 1),
            note.replacen("\n5\n", "\n18446744073709551616\n", 1),
            note.replacen(&root, &root[..root.len() - 4], 1),
            note.replacen(&root, "not base64!", 1),
            note.replacen(&root, &format!("{root}\nextension"), 1),
            note.replacen(ORIGIN, "", 1),
            note.replacen(&sig_line, "- alice AAAA", 1),
            note.replacen(&sig_line, "— alice", 1),
            note.replacen(&sig_line, "— alice !!!!", 1),
            note.replacen(&sig_line, "— alice AAAA", 1),
            note.replacen(&sig_line, "— al+ice AAAAAAAA", 1),
            note.replacen(&sig_line, "—  AAAAAAAA", 1),
            format!("{note}{}", format!("{sig_line}\n").repeat(MAX_SIGNATURES)),
            format!("{}\n", note.trim_end_matches('\n')).replacen("— ", "—\t", 1),
            "é\n\n— é AAAAAAAAAAAA\n".into(),
            // Cut anywhere, including inside the em dash (a multi-byte character).
        ];
        for case in cases {
            assert!(
                Checkpoint::verify(&case, "alice", key).is_err(),
                "verified: {case:?}"
            );
            let _ = Checkpoint::parse(&case);
        }
        for cut in 0..note.len() {
            if let Some(prefix) = note.get(..cut) {
                assert!(Checkpoint::verify(prefix, "alice", key).is_err(), "{cut}");
            }
        }
        let err = Checkpoint::verify(&note.replace('\n', "\r\n"), "alice", key).unwrap_err();
        assert!(err.to_string().contains("Windows line ending"), "{err}");
        let err = Checkpoint::verify(&note, "alice", "RWnot-a-key").unwrap_err();
        assert!(err.to_string().contains("starts with RW"), "{err}");
    }

    #[test]
    fn validly_signed_notes_whose_body_is_not_a_checkpoint_are_refused() {
        let (_dir, alice) = identity("Alice");
        let public = alice.ed25519_public();
        let root = BASE64.encode(sample().root());
        let short_root = BASE64.encode([7u8; 31]);
        let bodies = [
            format!("{ORIGIN}\n05\n{root}\n"),
            format!("{ORIGIN}\n+5\n{root}\n"),
            format!("{ORIGIN}\n 5\n{root}\n"),
            format!("{ORIGIN}\n18446744073709551616\n{root}\n"),
            format!("{ORIGIN}\n5\n{short_root}\n"),
            format!("{ORIGIN}\n5\n{}\n", root.trim_end_matches('=')),
            format!("{ORIGIN}\n5\n"),
            format!("\n5\n{root}\n"),
        ];
        for body in bodies
            .iter()
            .chain([&format!("{ORIGIN}\n5\n{root}\nextension\n")])
        {
            let line = signature_line("alice", &public, &alice.sign_ed25519(body.as_bytes()));
            let note = format!("{body}\n{line}");
            assert_eq!(open_note(&note, "alice", &public), Ok(body.as_str()));
            let err = Checkpoint::verify(&note, "alice", &alice.member.public_key).unwrap_err();
            assert!(Checkpoint::parse(&note).is_err(), "{body:?}");
            if body.contains("extension") {
                assert_eq!(err, CheckpointError::ExtensionLines);
            } else {
                assert!(
                    matches!(err, CheckpointError::Malformed(_)),
                    "{body:?}: {err}"
                );
            }
        }
        // The largest size there is still reads back.
        let body = format!("{ORIGIN}\n{}\n{root}\n", u64::MAX);
        let line = signature_line("alice", &public, &alice.sign_ed25519(body.as_bytes()));
        let note = format!("{body}\n{line}");
        let cp = Checkpoint::verify(&note, "alice", &alice.member.public_key).unwrap();
        assert_eq!(cp.size(), u64::MAX);
        assert_eq!(cp.origin(), ORIGIN);
    }

    #[test]
    fn names_and_origins_that_cannot_be_written_are_refused() {
        let (_dir, alice) = identity("Alice");
        let cp = sample();
        for name in ["", "two words", "a+b", "tab\tname"] {
            assert_eq!(
                cp.sign(name, &alice),
                Err(CheckpointError::BadKeyName(name.into()))
            );
        }
        for origin in ["", "two\nlines", "nul\0"] {
            assert!(Checkpoint::new(origin, 0, merkle::empty_root()).is_err());
        }
        // The empty archive has a checkpoint too.
        let empty = Checkpoint::new(ORIGIN, 0, merkle::empty_root()).unwrap();
        let note = empty.sign("alice", &alice).unwrap();
        assert!(note.contains("\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));
        assert_eq!(
            Checkpoint::verify(&note, "alice", &alice.member.public_key),
            Ok(empty)
        );
    }

    /// The known answer of golang.org/x/mod/sumdb/note (the reference implementation of
    /// signed notes): key PeterNeumann+c74f20a3, its seed, text and exact signed note.
    #[test]
    fn key_ids_and_signature_lines_match_the_go_reference_note() {
        const SEED: &str = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // 0x01 ‖ seed
        const PUBLIC: &str = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"; // 0x01 ‖ key
        const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                            then you don't know what your problem is.\n";
        const LINE: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        let public: [u8; 32] = BASE64.decode(PUBLIC).unwrap()[1..].try_into().unwrap();
        assert_eq!(hex::encode(key_id("PeterNeumann", &public)), "c74f20a3");

        let seed: [u8; 32] = BASE64.decode(SEED).unwrap()[1..].try_into().unwrap();
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        assert_eq!(signing.verifying_key().to_bytes(), public);
        use ed25519_dalek::Signer;
        let signature = signing.sign(TEXT.as_bytes()).to_bytes();
        assert_eq!(signature_line("PeterNeumann", &public, &signature), LINE);

        let note = format!("{TEXT}\n{LINE}");
        assert_eq!(open_note(&note, "PeterNeumann", &public), Ok(TEXT));
        let altered = note.replacen("problem,", "problem;", 1);
        assert!(open_note(&altered, "PeterNeumann", &public).is_err());
        // Not a checkpoint body, so the checkpoint reader refuses it after the signature.
        assert!(Checkpoint::parse(&note).is_err());
    }
}
