//! ccm-print — printed letters: Markdown body → Typst markup in the brand letterhead → PDF and
//! PNG pages. Its own crate because typst is by far the heaviest dependency.
