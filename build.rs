//! The sample posts are compiled into the binary (include_dir); a new or removed file
//! must rebuild it, which include_dir alone does not notice.

fn main() {
    println!("cargo:rerun-if-changed=sample-posts");
}
