fn main() {
    println!("ccm");
}
