//! `synth`: validate, render and write the cloud assembly.

use std::time::Instant;

use construct_lib::{App, Format, synthesize};

use super::{CommandError, Out};
use crate::cli::{SynthArgs, TemplateFormat};

/// Runs `synth`.
pub fn run(app: &App, args: &SynthArgs, out: Out<'_>, err: Out<'_>) -> Result<(), CommandError> {
    let started = Instant::now();
    let assembly = synthesize(app)?;
    let findings = super::render::findings(&assembly.findings);
    let open = assembly
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .count();
    if let Some(path) = &args.report {
        super::report::write(path, &args.out, &assembly.findings)?;
    }
    if args.strict && open > 0 {
        let _ = write!(out, "{findings}");
        return Err(CommandError::Strict(open));
    }
    let format = match args.format {
        TemplateFormat::Json => Format::Json,
        TemplateFormat::Yaml => Format::Yaml,
    };
    assembly.write(&args.out, format)?;
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
        let _ = write!(out, "{findings}");
    }
    Ok(())
}
