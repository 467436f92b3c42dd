fn main() {
    std::process::exit(r53ctl::cli::main());
}
