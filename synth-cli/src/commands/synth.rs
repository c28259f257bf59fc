//! `synth`: validate, render and write the cloud assembly.

use std::time::Instant;

use construct_lib::{App, Format, synthesize};

use super::{EXIT_INVALID, EXIT_IO, EXIT_OK, Out};
use crate::cli::{SynthArgs, TemplateFormat};

/// Runs `synth`.
pub fn run(app: &App, args: &SynthArgs, out: Out<'_>, err: Out<'_>) -> u8 {
    let started = Instant::now();
    let assembly = match synthesize(app) {
        Ok(assembly) => assembly,
        Err(errors) => {
            let _ = writeln!(err, "{errors}");
            return EXIT_INVALID;
        }
    };
    let format = match args.format {
        TemplateFormat::Json => Format::Json,
        TemplateFormat::Yaml => Format::Yaml,
    };
    if let Err(error) = assembly.write(&args.out, format) {
        let _ = writeln!(err, "error: {error}");
        return EXIT_IO;
    }
    for warning in &assembly.warnings {
        let _ = writeln!(err, "{warning}");
    }
    if !args.quiet {
        for stack in &assembly.stacks {
            let dependencies = if stack.dependencies.is_empty() {
                String::new()
            } else {
                format!(", after {}", stack.dependencies.join(", "))
            };
            let _ = writeln!(
                out,
                "{}: {} resources, {} bytes{dependencies}",
                stack.name,
                stack.resource_count,
                stack.template_json.len()
            );
        }
        let _ = writeln!(
            out,
            "wrote {} stack(s) to {} in {} ms",
            assembly.stacks.len(),
            args.out.display(),
            started.elapsed().as_millis()
        );
    }
    EXIT_OK
}
