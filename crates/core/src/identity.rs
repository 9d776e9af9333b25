//! Who is working: a person's name, role and Ed25519 key pair in the minisign format.
//!
//! The key pair is what makes an approval "by this person" rather than by whoever typed a name:
//! approvals, archive checkpoints and packs are signed with it, and anyone holding the public
//! key line can check them with stock `minisign -Vm FILE -P KEY`. The secret key lives in the
//! user's config directory (`identity/secret.key`, mode 0600), never in the library or the
//! templates folder; `CCM_IDENTITY_DIR` points elsewhere (several identities on one machine,
//! tests).

use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use minisign::{PublicKey, SecretKey, SecretKeyBox, SignatureBox};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// What a member of the team may do. Approving needs [`Role::Compliance`]; the brand kit and
/// packs belong to [`Role::Brand`]; designers write templates.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Designer,
    Compliance,
    Brand,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Designer, Role::Compliance, Role::Brand];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Designer => "designer",
            Role::Compliance => "compliance",
            Role::Brand => "brand",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| Error::InvalidInput {
                field: "role",
                message: format!("`{s}` is not a role"),
                hint: "use designer, compliance or brand".to_owned(),
            })
    }
}

/// A person as the team knows them: what `templates/_team/<id>.toml` holds and what an
/// identity publishes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub role: Role,
    /// The minisign public key line (base64, `RW…`), as `minisign -P` takes it.
    pub public_key: String,
}

impl Member {
    /// Checks the fields a person typed or a file held: a name, and a public key that decodes.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "name",
                message: "the name is empty".to_owned(),
                hint: "give the person's name as colleagues know it".to_owned(),
            });
        }
        public_key(&self.public_key).map(|_| ())
    }

    /// The key id minisign prints (`E2D2B12F5A3CC0C0`), which names this member in versions,
    /// approvals and signatures.
    pub fn fingerprint(&self) -> Result<String> {
        Ok(fingerprint_of(&public_key(&self.public_key)?))
    }
}

/// Decodes a minisign public key line.
pub fn public_key(line: &str) -> Result<PublicKey> {
    PublicKey::from_base64(line.trim()).map_err(|e| Error::InvalidInput {
        field: "public_key",
        message: format!("not a minisign public key ({e})"),
        hint: "paste the key line `ccm id show` prints (it starts with RW)".to_owned(),
    })
}

/// The 32 raw Ed25519 public key bytes of a minisign public key line: the line decodes to
/// signature algorithm (2 bytes, `Ed`), key id (8) and key (32).
pub fn ed25519_public_key(line: &str) -> Result<[u8; 32]> {
    raw_public_key(&public_key(line)?)
}

fn raw_public_key(pk: &PublicKey) -> Result<[u8; 32]> {
    let bytes = pk.to_bytes();
    match (bytes.get(..2), bytes.get(10..42)) {
        (Some(b"Ed"), Some(key)) if bytes.len() == 42 => {
            Ok(key.try_into().expect("a 32-byte slice"))
        }
        _ => Err(Error::InvalidInput {
            field: "public_key",
            message: "not a minisign Ed25519 public key".to_owned(),
            hint: "paste the key line `ccm id show` prints (it starts with RW)".to_owned(),
        }),
    }
}

/// Checks a plain Ed25519 signature (RFC 8032, no prehash) of `message`, as
/// [`Identity::sign_ed25519`] makes them. Strict verification: rejects the malleable and
/// small-order forms a lax verifier would accept, so one message has one valid signature.
pub fn verify_ed25519(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let signature = ed25519_dalek::Signature::from_bytes(signature);
    key.verify_strict(message, &signature).is_ok()
}

/// The key id as minisign shows it: the 8-byte key number, little-endian, in upper-case hex.
fn fingerprint_of(pk: &PublicKey) -> String {
    let mut id = [0u8; 8];
    id.copy_from_slice(&pk.keynum()[..8]);
    format!("{:016X}", u64::from_le_bytes(id))
}

/// The person working on this machine: their [`Member`] entry and their secret key.
pub struct Identity {
    pub member: Member,
    pub fingerprint: String,
    secret: SecretKey,
    public: PublicKey,
    /// The same key pair for plain Ed25519 signatures (checkpoints in the C2SP signed-note
    /// format), which minisign cannot make: it always prehashes.
    ed25519: SigningKey,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret key, even in debug output.
        f.debug_struct("Identity")
            .field("member", &self.member)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

const IDENTITY_FILE: &str = "identity.toml";
const SECRET_FILE: &str = "secret.key";
const PUBLIC_FILE: &str = "public.key";

/// Where identities are kept: `CCM_IDENTITY_DIR`, else `<config dir>/ccm-studio/identity`.
pub fn default_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CCM_IDENTITY_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ccm-studio")
        .map(|d| d.config_dir().join("identity"))
        .ok_or_else(|| Error::InvalidInput {
            field: "identity",
            message: "no configuration directory found for the identity".to_owned(),
            hint: "set CCM_IDENTITY_DIR to a private folder".to_owned(),
        })
}

/// The key fingerprint of this machine's identity (`ccm id init`), recorded on the versions a
/// process stores; `None` without one. A damaged identity is reported by `ccm id show`, not
/// by every save.
pub fn current_key() -> Option<String> {
    let dir = default_dir().ok()?;
    Identity::load(&dir).ok().flatten().map(|id| id.fingerprint)
}

impl Identity {
    /// Creates a key pair for `name` in `dir`. Refuses when `dir` already holds an identity:
    /// replacing a key orphans every signature made with it, so that is never silent.
    pub fn create(dir: &Path, name: &str, role: Role) -> Result<Identity> {
        if dir.join(SECRET_FILE).exists() {
            return Err(Error::AlreadyExists {
                what: "identity",
                id: dir.display().to_string(),
            });
        }
        let pair = minisign::KeyPair::generate_unencrypted_keypair().map_err(crypto)?;
        let member = Member {
            name: name.trim().to_owned(),
            role,
            public_key: pair.pk.to_base64(),
        };
        member.validate()?;
        let fingerprint = fingerprint_of(&pair.pk);
        let ed25519 = ed25519_signing_key(&pair.sk, &pair.pk)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let comment = format!("CCM Studio secret key of {} ({fingerprint})", member.name);
        let secret_box = pair.sk.to_box(Some(&comment)).map_err(crypto)?;
        write_private(&dir.join(SECRET_FILE), secret_box.to_string().as_bytes())?;
        let public_box = pair.pk.to_box().map_err(crypto)?;
        write_file(&dir.join(PUBLIC_FILE), public_box.to_string().as_bytes())?;
        let toml = toml::to_string(&member).map_err(|e| Error::Corrupt(e.to_string()))?;
        write_file(&dir.join(IDENTITY_FILE), toml.as_bytes())?;
        Ok(Identity {
            member,
            fingerprint,
            secret: pair.sk,
            public: pair.pk,
            ed25519,
        })
    }

    /// The identity kept in `dir`, `None` when none was created there.
    pub fn load(dir: &Path) -> Result<Option<Identity>> {
        let secret_path = dir.join(SECRET_FILE);
        if !secret_path.exists() {
            return Ok(None);
        }
        let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| Error::io(p, e));
        let member: Member = toml::from_str(&read(&dir.join(IDENTITY_FILE))?)
            .map_err(|e| Error::Corrupt(format!("{}: {e}", dir.join(IDENTITY_FILE).display())))?;
        let secret = SecretKeyBox::from_string(&read(&secret_path)?)
            .and_then(SecretKeyBox::into_unencrypted_secret_key)
            .map_err(|e| Error::Corrupt(format!("{}: {e}", secret_path.display())))?;
        let public = public_key(&member.public_key)?;
        if secret.keynum() != public.keynum() {
            return Err(Error::Corrupt(format!(
                "{}: the secret key does not belong to the public key in {IDENTITY_FILE}",
                secret_path.display()
            )));
        }
        let fingerprint = fingerprint_of(&public);
        let ed25519 = ed25519_signing_key(&secret, &public).map_err(|e| match e {
            Error::Corrupt(why) => Error::Corrupt(format!("{}: {why}", secret_path.display())),
            other => other,
        })?;
        Ok(Some(Identity {
            member,
            fingerprint,
            secret,
            public,
            ed25519,
        }))
    }

    /// The identity in `dir`, or an error telling the user how to create one.
    pub fn require(dir: &Path) -> Result<Identity> {
        Identity::load(dir)?.ok_or_else(|| Error::InvalidInput {
            field: "identity",
            message: format!("no identity in {}", dir.display()),
            hint: "create one with `ccm id init --name NAME --role ROLE`".to_owned(),
        })
    }

    /// The public key in minisign's two-line `.pub` format.
    pub fn public_key_file(&self) -> String {
        self.public
            .to_box()
            .map(|b| b.to_string())
            .unwrap_or_default()
    }

    /// A minisign signature of `data` (the `.minisig` text); `trusted_comment` is signed too,
    /// so it cannot be edited without breaking the signature.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String> {
        let untrusted = format!("signature from CCM Studio key {}", self.fingerprint);
        minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(data),
            Some(trusted_comment),
            Some(&untrusted),
        )
        .map(|sig| sig.into_string())
        .map_err(crypto)
    }

    /// A plain Ed25519 signature (RFC 8032) of `message` with this identity's key, for
    /// formats that sign the bytes themselves (C2SP signed notes); [`verify_ed25519`] checks it.
    pub fn sign_ed25519(&self, message: &[u8]) -> [u8; 64] {
        self.ed25519.sign(message).to_bytes()
    }

    /// The 32 raw Ed25519 public key bytes, the same key the minisign public key line holds.
    pub fn ed25519_public(&self) -> [u8; 32] {
        self.ed25519.verifying_key().to_bytes()
    }
}

/// Byte layout of minisign 0.10's `SecretKey::to_bytes()`: signature algorithm (2), KDF
/// algorithm (2), checksum algorithm (2), KDF salt (32), KDF ops limit (8), KDF memory limit
/// (8), key id (8), then the Ed25519 secret key (64 = seed 32 ‖ public key 32), checksum (32).
const MINISIGN_SEED_AT: usize = 2 + 2 + 2 + 32 + 8 + 8 + 8;
const MINISIGN_SECRET_LEN: usize = MINISIGN_SEED_AT + 64 + 32;

/// The Ed25519 signing key inside a minisign secret key. Checked against the minisign public
/// key, so a change in minisign's layout fails here instead of signing with a wrong key.
fn ed25519_signing_key(secret: &SecretKey, public: &PublicKey) -> Result<SigningKey> {
    let bytes = Zeroizing::new(secret.to_bytes());
    if bytes.len() != MINISIGN_SECRET_LEN {
        return Err(Error::Corrupt(
            "the minisign secret key has an unexpected layout".to_owned(),
        ));
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    seed.copy_from_slice(&bytes[MINISIGN_SEED_AT..MINISIGN_SEED_AT + 32]);
    let key = SigningKey::from_bytes(&seed);
    let expected = raw_public_key(public)?;
    let embedded = &bytes[MINISIGN_SEED_AT + 32..MINISIGN_SEED_AT + 64];
    if key.verifying_key().to_bytes() != expected || embedded != expected {
        return Err(Error::Corrupt(
            "the Ed25519 key inside the secret key does not match the public key".to_owned(),
        ));
    }
    Ok(key)
}

/// Checks a `.minisig` text over `data` with the public key line `key`; returns the signed
/// trusted comment.
pub fn verify(key: &str, data: &[u8], signature: &str) -> Result<String> {
    let pk = public_key(key)?;
    let sig = SignatureBox::from_string(signature).map_err(|e| Error::InvalidInput {
        field: "signature",
        message: format!("not a minisign signature ({e})"),
        hint: "the signature file is damaged; ask its signer for it again".to_owned(),
    })?;
    minisign::verify(&pk, &sig, Cursor::new(data), true, false, false).map_err(|e| {
        Error::InvalidInput {
            field: "signature",
            message: format!("the signature does not verify: {e}"),
            hint: "the data or the signature was changed after signing, or another key signed it"
                .to_owned(),
        }
    })?;
    sig.trusted_comment().map_err(crypto)
}

fn crypto(e: minisign::PError) -> Error {
    Error::Corrupt(format!("key operation failed: {e}"))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Writes a file only its owner can read: created with mode 0600 so the secret is never
/// readable by others, not even for an instant.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_identity_loads_back_and_signs_what_its_public_key_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let created = Identity::create(dir.path(), " 佐藤 花子 ", Role::Compliance).unwrap();
        assert_eq!(created.member.name, "佐藤 花子", "the name is trimmed");
        assert_eq!(created.fingerprint.len(), 16);
        let loaded = Identity::load(dir.path())
            .unwrap()
            .expect("identity on disk");
        assert_eq!(loaded.member, created.member);
        assert_eq!(loaded.fingerprint, created.member.fingerprint().unwrap());

        let sig = loaded
            .sign(b"approved bytes", "approved for sending")
            .unwrap();
        let comment = verify(&created.member.public_key, b"approved bytes", &sig).unwrap();
        assert_eq!(comment, "approved for sending");
        let tampered = verify(&created.member.public_key, b"approved bytez", &sig);
        assert!(tampered.is_err(), "one changed byte breaks the signature");
        let edited_comment = sig.replace("approved for sending", "approved for testing");
        assert!(
            verify(
                &created.member.public_key,
                b"approved bytes",
                &edited_comment
            )
            .is_err(),
            "the trusted comment is signed"
        );
    }

    #[test]
    fn another_key_does_not_verify_and_an_identity_is_never_replaced_silently() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let alice = Identity::create(a.path(), "Alice", Role::Designer).unwrap();
        let bob = Identity::create(b.path(), "Bob", Role::Compliance).unwrap();
        let sig = alice.sign(b"x", "t").unwrap();
        assert!(verify(&bob.member.public_key, b"x", &sig).is_err());
        let again = Identity::create(a.path(), "Mallory", Role::Compliance);
        assert!(matches!(again, Err(Error::AlreadyExists { .. })));
        assert_eq!(
            Identity::load(a.path()).unwrap().unwrap().member.name,
            "Alice"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_secret_key_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Identity::create(dir.path(), "Alice", Role::Designer).unwrap();
        let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn the_ed25519_key_is_the_minisign_key_and_signs_plain_messages() {
        let dir = tempfile::tempdir().unwrap();
        let created = Identity::create(dir.path(), "Alice", Role::Compliance).unwrap();
        let loaded = Identity::load(dir.path()).unwrap().unwrap();
        let from_line = ed25519_public_key(&created.member.public_key).unwrap();
        // The minisign line's key bytes, read independently of the derivation.
        let line_bytes = {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(&created.member.public_key)
                .unwrap()
        };
        assert_eq!(&line_bytes[..2], b"Ed");
        assert_eq!(from_line.as_slice(), &line_bytes[10..42]);
        assert_eq!(created.ed25519_public(), from_line);
        assert_eq!(
            loaded.ed25519_public(),
            from_line,
            "same key after a reload"
        );

        let signature = loaded.sign_ed25519(b"log/1\n3\nroot\n");
        assert_eq!(
            signature,
            created.sign_ed25519(b"log/1\n3\nroot\n"),
            "Ed25519 signing is deterministic"
        );
        assert!(verify_ed25519(&from_line, b"log/1\n3\nroot\n", &signature));
        assert!(!verify_ed25519(&from_line, b"log/1\n4\nroot\n", &signature));
        let mut flipped = signature;
        flipped[10] ^= 1;
        assert!(!verify_ed25519(&from_line, b"log/1\n3\nroot\n", &flipped));

        let other = tempfile::tempdir().unwrap();
        let bob = Identity::create(other.path(), "Bob", Role::Designer).unwrap();
        assert!(!verify_ed25519(
            &bob.ed25519_public(),
            b"log/1\n3\nroot\n",
            &signature
        ));
        // A minisign signature from the same key still verifies with stock minisign tooling.
        let sig = loaded.sign(b"x", "t").unwrap();
        assert!(verify(&created.member.public_key, b"x", &sig).is_ok());
    }

    #[test]
    fn a_secret_key_that_does_not_match_its_public_key_is_refused() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let alice = Identity::create(a.path(), "Alice", Role::Designer).unwrap();
        let bob = Identity::create(b.path(), "Bob", Role::Designer).unwrap();
        // The derivation itself refuses a seed whose public key is not the minisign one.
        assert!(ed25519_signing_key(&alice.secret, &alice.public).is_ok());
        let mismatch = ed25519_signing_key(&bob.secret, &alice.public);
        assert!(
            matches!(&mismatch, Err(Error::Corrupt(m)) if m.contains("does not match")),
            "{mismatch:?}"
        );
        // Bob's secret key under Alice's identity on disk: refused before anything is signed.
        std::fs::remove_file(a.path().join(SECRET_FILE)).unwrap();
        std::fs::copy(b.path().join(SECRET_FILE), a.path().join(SECRET_FILE)).unwrap();
        assert!(matches!(Identity::load(a.path()), Err(Error::Corrupt(_))));
        assert!(ed25519_public_key("not-a-key").is_err());
        assert_eq!(
            ed25519_public_key(&format!(" {} ", bob.member.public_key)).unwrap(),
            bob.ed25519_public()
        );
    }

    #[test]
    fn roles_and_keys_typed_wrong_are_refused_with_what_to_do() {
        let e = "approver".parse::<Role>().unwrap_err();
        assert!(e.hint().contains("compliance"), "{}", e.hint());
        let m = Member {
            name: "A".into(),
            role: Role::Brand,
            public_key: "not-a-key".into(),
        };
        assert!(m.validate().unwrap_err().hint().contains("ccm id show"));
    }
}
