//! The RFC 9162 (Certificate Transparency v2) Merkle tree over archive entries: its root, and
//! the inclusion and consistency proofs that let anyone check, without trusting the library
//! file, that an entry is in the archive and that an older archive is a prefix of a newer one.
//!
//! leaf = SHA-256(0x00 ‖ entry bytes), node = SHA-256(0x01 ‖ left ‖ right); the tree over n
//! leaves splits at the largest power of two below n (RFC 9162 §2.1.1). The empty tree's root
//! is SHA-256 of the empty string.
//!
//! Written here rather than taken from the `ct-merkle` crate: ct-merkle 0.3 is built on
//! `digest` 0.11 (sha2 0.11) while the workspace uses sha2 0.10, and its tree keeps every
//! leaf and node in its own in-memory structure. The archive already stores its entries; it
//! needs plain functions over the leaf hashes it reads back (32 bytes per entry, 3.2 MB for
//! 100,000 entries), which are short enough to check line by line against RFC 9162 and are
//! tested against the transparency-dev/merkle reference vectors and their mutation cases.
//!
//! Cost: [`root`], [`inclusion_proof`] and [`consistency_proof`] each hash every leaf once
//! (O(n)); the verifiers hash only the proof (O(log n)).

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

/// The root of the tree with no leaves: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The leaf hash of one archive entry (its canonical JSON bytes).
pub fn leaf_hash(bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(bytes);
    h.finalize().into()
}

/// The hash of an inner node over its two children.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The Merkle tree hash (MTH) of the tree whose leaf hashes are `leaves`.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [one] => *one,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf `index` in the tree of all
/// `leaves`, nearest sibling first; `None` when `index` is not a leaf of that tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut proof = Vec::new();
    path(index, leaves, &mut proof);
    Some(proof)
}

/// PATH(m, D[n]): the siblings from the leaf up, so the deepest one is pushed first.
fn path(m: usize, leaves: &[Hash], proof: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if m < k {
        path(m, &leaves[..k], proof);
        proof.push(root(&leaves[k..]));
    } else {
        path(m - k, &leaves[k..], proof);
        proof.push(root(&leaves[..k]));
    }
}

/// The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first `old_size` leaves is a
/// prefix of the tree of all `leaves`. Empty when `old_size` is 0 or the whole tree (nothing
/// to prove); `None` when `old_size` is larger than the tree.
pub fn consistency_proof(leaves: &[Hash], old_size: usize) -> Option<Vec<Hash>> {
    if old_size > leaves.len() {
        return None;
    }
    let mut proof = Vec::new();
    if old_size > 0 {
        subproof(old_size, leaves, true, &mut proof);
    }
    Some(proof)
}

/// SUBPROOF(m, D[n], b): `whole_old_tree` is true while the subtree being walked is still the
/// one whose root the verifier already holds (the old root), so it need not be sent.
fn subproof(m: usize, leaves: &[Hash], whole_old_tree: bool, proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !whole_old_tree {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], whole_old_tree, proof);
        proof.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// Whether `proof` shows that `leaf` is leaf number `index` of the tree of `size` leaves whose
/// root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false; // the proof is longer than the path to the root
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            // Climb past the levels where this node is the last one and has no sibling.
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// Whether `proof` shows that the tree of `old_size` leaves with root `old_root` is a prefix
/// of the tree of `new_size` leaves with root `new_root` (RFC 9162 §2.1.4.2).
///
/// Equal sizes need equal roots and an empty proof. An old size of 0 needs an empty proof and
/// `old_root` equal to [`empty_root`] (stricter than the reference, which ignores that root: a
/// checkpoint of an empty archive must still carry the empty tree's root).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        return proof.is_empty() && *old_root == empty_root();
    }
    let Some((first, rest)) = proof.split_first() else {
        return false;
    };
    // When the old tree is a complete subtree its root is the first node of the path, and the
    // proof leaves it out because the verifier holds it.
    let (seed, rest) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        (first, rest)
    };
    let (mut f_n, mut s_n) = (old_size - 1, new_size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut f_r, mut s_r) = (*seed, *seed);
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && f_r == *old_root && s_r == *new_root
}

/// The largest power of two smaller than `n` (n ≥ 2): where RFC 9162 splits a tree.
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference tree of RFC 6962 / transparency-dev/merkle (testonly/constants.go,
    /// LeafInputs), as hex.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];

    /// Its roots for sizes 0..=8 (testonly/constants.go, RootHashes).
    const ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// Inclusion proofs of proof/verify_test.go: (0-based leaf index, tree size, path).
    /// (The Go vectors number leaves from 1.)
    const INCLUSION: [(usize, usize, &[&str]); 4] = [
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];

    /// Consistency proofs of proof/verify_test.go: (old size, new size, proof).
    const CONSISTENCY: [(usize, usize, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    /// A hash no proof contains (transparency-dev's sha256SomeHash).
    const SOME_HASH: &str = "abacaba000000000000000000000000000000000000000000060061e00123456";

    fn h(s: &str) -> Hash {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    fn hashes(list: &[&str]) -> Vec<Hash> {
        list.iter().map(|s| h(s)).collect()
    }

    fn reference_leaves(n: usize) -> Vec<Hash> {
        LEAVES[..n]
            .iter()
            .map(|l| leaf_hash(&hex::decode(l).unwrap()))
            .collect()
    }

    /// Leaf hashes of `n` distinct entries, for trees larger than the reference one.
    fn entries(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("{{\"entry\":{i}}}").as_bytes()))
            .collect()
    }

    fn flipped(hash: &Hash, byte: usize, mask: u8) -> Hash {
        let mut out = *hash;
        out[byte] ^= mask;
        out
    }

    #[test]
    fn leaf_and_node_hashes_are_domain_separated() {
        // SHA-256(0x00) — not SHA-256 of the empty string, which is the empty tree's root.
        assert_eq!(leaf_hash(b""), h(ROOTS[1]));
        assert_ne!(leaf_hash(b""), empty_root());
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let mut plain = Sha256::new();
        plain.update(a);
        plain.update(b);
        let plain: Hash = plain.finalize().into();
        assert_ne!(
            node_hash(&a, &b),
            plain,
            "node hashes carry the 0x01 prefix"
        );
        assert_ne!(node_hash(&a, &b), node_hash(&b, &a), "order matters");
    }

    #[test]
    fn roots_match_the_reference_tree_for_sizes_zero_to_eight() {
        for (n, expected) in ROOTS.iter().enumerate() {
            assert_eq!(
                hex::encode(root(&reference_leaves(n))),
                *expected,
                "size {n}"
            );
        }
    }

    #[test]
    fn an_odd_leaf_is_promoted_never_duplicated() {
        let l = entries(3);
        assert_eq!(root(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]));
        assert_eq!(split(2), 1);
        assert_eq!(split(5), 4);
        assert_eq!(split(8), 4);
        assert_eq!(split(9), 8);
        assert_eq!(split(28973), 16384);
    }

    #[test]
    fn inclusion_proofs_match_the_reference_vectors() {
        for (index, size, expected) in INCLUSION {
            let leaves = reference_leaves(size);
            let proof = inclusion_proof(&leaves, index).unwrap();
            assert_eq!(proof, hashes(expected), "leaf {index} of {size}");
            assert!(verify_inclusion(
                &leaves[index],
                index as u64,
                size as u64,
                &proof,
                &h(ROOTS[size])
            ));
        }
        let one = reference_leaves(1);
        assert_eq!(inclusion_proof(&one, 0), Some(vec![]));
        assert_eq!(inclusion_proof(&one, 1), None, "no leaf 1 in a tree of 1");
        assert_eq!(inclusion_proof(&[], 0), None);
    }

    #[test]
    fn consistency_proofs_match_the_reference_vectors() {
        for (old, new, expected) in CONSISTENCY {
            let leaves = reference_leaves(new);
            let proof = consistency_proof(&leaves, old).unwrap();
            assert_eq!(proof, hashes(expected), "{old} → {new}");
            assert!(verify_consistency(
                old as u64,
                new as u64,
                &h(ROOTS[old]),
                &h(ROOTS[new]),
                &proof
            ));
        }
        assert_eq!(consistency_proof(&reference_leaves(3), 4), None);
        assert_eq!(consistency_proof(&reference_leaves(3), 0), Some(vec![]));
    }

    /// An inclusion claim: `leaf` is leaf `index` of the tree of `size` leaves with `root`.
    #[derive(Clone)]
    struct Inclusion {
        leaf: Hash,
        index: u64,
        size: u64,
        proof: Vec<Hash>,
        root: Hash,
    }

    impl Inclusion {
        fn verifies(&self) -> bool {
            verify_inclusion(&self.leaf, self.index, self.size, &self.proof, &self.root)
        }

        /// Every way transparency-dev/merkle corrupts an inclusion proof
        /// (proof/verify_test.go, corruptInclusionProof), each named.
        fn corruptions(&self) -> Vec<(String, Inclusion)> {
            let edit = |what: &str, change: &dyn Fn(&mut Inclusion)| {
                let mut claim = self.clone();
                change(&mut claim);
                (what.to_owned(), claim)
            };
            let some = h(SOME_HASH);
            let mut out = vec![
                edit("index - 1", &|c| c.index = c.index.wrapping_sub(1)),
                edit("index + 1", &|c| c.index += 1),
                edit("index ^ 2", &|c| c.index ^= 2),
                edit("size * 2", &|c| c.size *= 2),
                edit("size / 2", &|c| c.size /= 2),
                edit("wrong leaf", &|c| c.leaf = leaf_hash(b"WrongLeaf")),
                edit("empty root", &|c| c.root = empty_root()),
                edit("random root", &|c| c.root = some),
                edit("trailing garbage", &|c| c.proof.push([0; 32])),
                edit("trailing root", &|c| c.proof.push(c.root)),
                edit("preceding garbage", &|c| c.proof.insert(0, [0; 32])),
                edit("preceding root", &|c| c.proof.insert(0, c.root)),
            ];
            for i in 0..self.proof.len() {
                for byte in [0, 31] {
                    let what = format!("proof[{i}] byte {byte} flipped");
                    out.push(edit(&what, &|c| c.proof[i] = flipped(&c.proof[i], byte, 8)));
                }
            }
            if !self.proof.is_empty() {
                out.push(edit("removed last", &|c| {
                    c.proof.pop();
                }));
            }
            if self.proof.len() > 1 {
                out.push(edit("inserted", &|c| c.proof.insert(1, some)));
            }
            out
        }
    }

    #[test]
    fn every_inclusion_proof_up_to_twenty_leaves_verifies_and_no_corruption_does() {
        for size in 1..=20usize {
            let leaves = entries(size);
            for index in 0..size {
                let good = Inclusion {
                    leaf: leaves[index],
                    index: index as u64,
                    size: size as u64,
                    proof: inclusion_proof(&leaves, index).unwrap(),
                    root: root(&leaves),
                };
                assert!(good.verifies(), "leaf {index} of {size}");
                for (what, bad) in good.corruptions() {
                    assert!(!bad.verifies(), "leaf {index} of {size}: `{what}` verified");
                }
                // Another leaf of the same tree is not at this index.
                let other = Inclusion {
                    leaf: leaves[(index + 1) % size],
                    ..good.clone()
                };
                assert_eq!(other.verifies(), size == 1, "leaf {index} of {size}");
            }
        }
    }

    /// A consistency claim: the tree `old` (size, root) is a prefix of the tree `new`.
    #[derive(Clone)]
    struct Consistency {
        old: (u64, Hash),
        new: (u64, Hash),
        proof: Vec<Hash>,
    }

    impl Consistency {
        fn verifies(&self) -> bool {
            verify_consistency(
                self.old.0,
                self.new.0,
                &self.old.1,
                &self.new.1,
                &self.proof,
            )
        }

        /// Every way transparency-dev/merkle corrupts a consistency proof
        /// (proof/verify_test.go, corruptConsistencyProof), each named.
        fn corruptions(&self) -> Vec<(String, Consistency)> {
            let edit = |what: &str, change: &dyn Fn(&mut Consistency)| {
                let mut claim = self.clone();
                change(&mut claim);
                (what.to_owned(), claim)
            };
            let wrong = leaf_hash(b"WrongRoot");
            let (old_root, new_root, first) = (self.old.1, self.new.1, self.proof[0]);
            let mut out = vec![
                edit("old size - 1", &|c| c.old.0 -= 1),
                edit("old size + 1", &|c| c.old.0 += 1),
                edit("old size ^ 2", &|c| c.old.0 ^= 2),
                edit("new size * 2", &|c| c.new.0 *= 2),
                edit("new size / 2", &|c| c.new.0 /= 2),
                edit("wrong old root", &|c| c.old.1 = wrong),
                edit("wrong new root", &|c| c.new.1 = wrong),
                edit("swapped roots", &|c| {
                    (c.old.1, c.new.1) = (new_root, old_root)
                }),
                edit("empty proof", &|c| c.proof.clear()),
                edit("trailing garbage", &|c| c.proof.push([0; 32])),
                edit("trailing old root", &|c| c.proof.push(old_root)),
                edit("trailing new root", &|c| c.proof.push(new_root)),
                edit("preceding garbage", &|c| c.proof.insert(0, [0; 32])),
                edit("preceding old root", &|c| c.proof.insert(0, old_root)),
                edit("preceding new root", &|c| c.proof.insert(0, new_root)),
                edit("preceding proof[0]", &|c| c.proof.insert(0, first)),
                edit("truncated", &|c| {
                    c.proof.pop();
                }),
            ];
            for i in 0..self.proof.len() {
                for byte in [0, 31] {
                    let what = format!("proof[{i}] byte {byte} flipped");
                    out.push(edit(&what, &|c| {
                        c.proof[i] = flipped(&c.proof[i], byte, 16)
                    }));
                }
            }
            out
        }
    }

    #[test]
    fn every_consistency_proof_up_to_twenty_leaves_verifies_and_no_corruption_does() {
        for new in 1..=20usize {
            let leaves = entries(new);
            for old in 0..=new {
                let good = Consistency {
                    old: (old as u64, root(&leaves[..old])),
                    new: (new as u64, root(&leaves)),
                    proof: consistency_proof(&leaves, old).unwrap(),
                };
                assert!(good.verifies(), "{old} → {new}");
                if old == 0 || old == new {
                    assert!(good.proof.is_empty(), "{old} → {new}: nothing to prove");
                    continue;
                }
                for (what, bad) in good.corruptions() {
                    assert!(!bad.verifies(), "{old} → {new}: `{what}` verified");
                }
                // History rewritten (one old entry edited) and the tree regrown: the new root
                // and a proof made from the rewritten tree do not extend the old root.
                let mut rewritten = leaves.clone();
                rewritten[old - 1] = flipped(&rewritten[old - 1], 0, 1);
                let forged = Consistency {
                    new: (new as u64, root(&rewritten)),
                    proof: consistency_proof(&rewritten, old).unwrap(),
                    ..good.clone()
                };
                assert!(
                    !forged.verifies(),
                    "{old} → {new}: a rewritten entry passed"
                );
            }
        }
    }

    #[test]
    fn trivial_consistency_cases_follow_the_reference() {
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let empty = empty_root();
        assert!(verify_consistency(0, 0, &empty, &empty, &[]));
        assert!(verify_consistency(1, 1, &b, &b, &[]));
        assert!(verify_consistency(0, 1, &empty, &b, &[]));
        assert!(
            !verify_consistency(1, 1, &a, &b, &[]),
            "same size, other root"
        );
        assert!(
            !verify_consistency(0, 1, &a, &b, &[]),
            "an empty tree has the empty root"
        );
        assert!(
            !verify_consistency(1, 0, &a, &b, &[]),
            "trees do not shrink"
        );
        assert!(
            !verify_consistency(2, 1, &a, &b, &[]),
            "trees do not shrink"
        );
        assert!(
            !verify_consistency(1, 2, &a, &b, &[]),
            "growth needs a proof"
        );
        assert!(
            !verify_consistency(0, 0, &empty, &empty, &[empty]),
            "stray proof"
        );
        assert!(
            !verify_consistency(0, 1, &empty, &empty, &[empty]),
            "stray proof"
        );
        assert!(
            !verify_consistency(1, 1, &empty, &empty, &[empty]),
            "stray proof"
        );
    }

    #[test]
    fn inclusion_in_empty_or_too_small_trees_never_verifies() {
        let some = h(SOME_HASH);
        for (index, size) in [(0, 0), (1, 0), (2, 1), (u64::MAX, u64::MAX)] {
            assert!(!verify_inclusion(&some, index, size, &[], &some));
            assert!(!verify_inclusion(&some, index, size, &[], &empty_root()));
        }
        // A one-leaf tree: the root is the leaf hash and the proof is empty.
        let leaf = leaf_hash(b"data");
        assert!(verify_inclusion(&leaf, 0, 1, &[], &leaf));
        assert!(!verify_inclusion(&leaf, 0, 1, &[], &some));
        assert!(!verify_inclusion(&some, 0, 1, &[], &leaf));
    }

    #[test]
    fn a_hundred_thousand_entries_prove_and_verify() {
        let leaves = entries(100_003);
        let r = root(&leaves);
        let index = 77_777;
        let proof = inclusion_proof(&leaves, index).unwrap();
        assert_eq!(proof.len(), 17, "log2 depth, not n");
        assert!(verify_inclusion(
            &leaves[index],
            index as u64,
            100_003,
            &proof,
            &r
        ));
        let old = 65_537;
        let proof = consistency_proof(&leaves, old).unwrap();
        assert!(verify_consistency(
            old as u64,
            100_003,
            &root(&leaves[..old]),
            &r,
            &proof
        ));
    }
}
