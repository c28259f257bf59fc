//! `synth`: validate, render and write the cloud assembly.

use std::io::Write;
use std::time::Instant;

use super::{SynthArgs, SynthError, TemplateFormat, findings, report};
use crate::{App, CloudAssembly, Format, synthesize};

/// Runs `synth` on `app`: writes the cloud assembly to `--out` and prints each stack, the
/// time taken and the rule findings to `out`, and warnings to `err`. With `--strict`, fails
/// before writing anything when a finding is not accepted. An app without stacks is refused,
/// leaving `--out` as it is (writing it would delete the templates there).
pub fn run(
    app: &App,
    args: &SynthArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), SynthError> {
    write(app, args, out, err).map(drop)
}

/// [`run`], returning the assembly it wrote.
pub fn write(
    app: &App,
    args: &SynthArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<CloudAssembly, SynthError> {
    let started = Instant::now();
    if app.stacks().is_empty() {
        return Err(SynthError::NoStacks(args.out.display().to_string()));
    }
    let assembly = synthesize(app)?;
    let findings = findings::render(&assembly.findings);
    let open = assembly
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .count();
    if let Some(path) = &args.report {
        report::write(path, &args.out, &assembly.findings)?;
    }
    if args.strict && open > 0 {
        let _ = write!(out, "{findings}");
        return Err(SynthError::Strict(open));
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
    Ok(assembly)
}
