//! A check built against `plumbline:check@2.0.0`, a major version this host
//! does not implement: the host must refuse it by name and version.

wit_bindgen::generate!({
    inline: r#"
        package plumbline:check@2.0.0;

        interface plugin {
            record finding { message: string }
            metadata: func() -> string;
            evaluate: func() -> list<finding>;
        }

        world check {
            export plugin;
        }
    "#,
    world: "check",
});

struct FromTheFuture;

impl exports::plumbline::check::plugin::Guest for FromTheFuture {
    fn metadata() -> String {
        "from-the-future".to_string()
    }

    fn evaluate() -> Vec<exports::plumbline::check::plugin::Finding> {
        Vec::new()
    }
}

export!(FromTheFuture);
