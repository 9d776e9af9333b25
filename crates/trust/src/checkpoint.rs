//! Signed tree heads (placeholder until the full C2SP module lands).
use crate::merkle::Hash;
use base64::Engine as _;
use ccm_core::identity::Identity;
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}
impl Checkpoint {
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            base64::engine::general_purpose::STANDARD.encode(self.root)
        )
    }
    pub fn sign(&self, name: &str, identity: &Identity) -> String {
        let sig = identity.sign(self.body().as_bytes(), name).unwrap_or_default();
        format!("{}\n— {name} {}\n", self.body(), sig.lines().nth(1).unwrap_or(""))
    }
}
