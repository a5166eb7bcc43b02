//! Merges chunk modules into one module.
//!
//! A chunk that wasm-split writes is a module that imports the main module's memory, its
//! indirect function table and its stack pointer, and whose only effect is its active
//! element segments (its functions, placed in the shared table at fixed slots) and its
//! active data segments (its read-only data, at fixed addresses). Nothing refers to a
//! chunk's functions by index from outside: every call between modules goes through the
//! table. So several chunks become one module by concatenating their types, functions,
//! globals, segments and code, with each chunk's own indices shifted past the ones before
//! it; the table slots and addresses stay where they were.

use anyhow::{Context, Result, bail, ensure};
use std::convert::Infallible;
use wasm_encoder::reencode::{Error as ReencodeError, Reencode};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, FunctionSection, GlobalSection,
    ImportSection, Module, TypeSection,
};
use wasmparser::{Parser, Payload, TypeRef, Validator, WasmFeatures};

/// Where one input module's own items start in the merged module.
#[derive(Default, Clone)]
struct Shift {
    types: u32,
    functions: u32,
    /// The merged module's index of each global this module imports.
    imported_globals: Vec<u32>,
    /// Where this module's own globals start (after every imported global).
    globals: u32,
    data: u32,
    elements: u32,
}

impl Reencode for Shift {
    type Error = Infallible;

    fn type_index(&mut self, ty: u32) -> Result<u32, ReencodeError<Infallible>> {
        Ok(self.types + ty)
    }
    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<Infallible>> {
        // Chunks import no functions (checked), so every function index is the chunk's own.
        Ok(self.functions + func)
    }
    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError<Infallible>> {
        let imported = self.imported_globals.len() as u32;
        Ok(match self.imported_globals.get(global as usize) {
            Some(&merged) => merged,
            None => self.globals + global - imported,
        })
    }
    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError<Infallible>> {
        Ok(self.data + data)
    }
    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError<Infallible>> {
        Ok(self.elements + element)
    }
}

/// What one module imports: module, name and kind, in order.
type Imports<'a> = Vec<(&'a str, &'a str, TypeRef)>;

fn imports_of(bytes: &[u8]) -> Result<Imports<'_>> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::ImportSection(section) = payload? {
            for import in section.into_imports() {
                let import = import?;
                match import.ty {
                    TypeRef::Global(_) | TypeRef::Memory(_) | TypeRef::Table(_) => {}
                    other => bail!("it imports {other:?}; chunks import no functions or tags"),
                }
                out.push((import.module, import.name, import.ty));
            }
        }
    }
    Ok(out)
}

/// One module holding everything `modules` hold. Every input may import memories, tables
/// and globals (each imported once in the result, so the same name must mean the same thing)
/// but no functions, and must define no memory, table, tag, export or start function (what a
/// wasm-split chunk is); anything else is refused rather than merged wrongly.
pub fn merge(modules: &[&[u8]]) -> Result<Vec<u8>> {
    ensure!(!modules.is_empty(), "nothing to merge");
    // Every import of any module, once, in the order first seen.
    let mut union: Imports = Vec::new();
    let mut each = Vec::new();
    for (index, bytes) in modules.iter().enumerate() {
        let imports = imports_of(bytes).with_context(|| format!("module {index} is no chunk"))?;
        for import in &imports {
            match union
                .iter()
                .find(|(m, n, _)| (*m, *n) == (import.0, import.1))
            {
                Some(seen) => ensure!(
                    seen.2 == import.2,
                    "module {index} imports {}.{} as another kind than an earlier module",
                    import.0,
                    import.1
                ),
                None => union.push(*import),
            }
        }
        each.push(imports);
    }
    // Memories and tables keep their index (0): there must be at most one of each.
    for (kind, count) in [
        (
            "memories",
            union
                .iter()
                .filter(|i| matches!(i.2, TypeRef::Memory(_)))
                .count(),
        ),
        (
            "tables",
            union
                .iter()
                .filter(|i| matches!(i.2, TypeRef::Table(_)))
                .count(),
        ),
    ] {
        ensure!(
            count <= 1,
            "the chunks import {count} {kind}; merging handles one"
        );
    }
    let union_globals: Vec<(&str, &str)> = union
        .iter()
        .filter(|(_, _, ty)| matches!(ty, TypeRef::Global(_)))
        .map(|(m, n, _)| (*m, *n))
        .collect();
    let mut imports = ImportSection::new();
    let mut plain = Shift::default();
    for (module, name, ty) in &union {
        imports.import(module, name, plain.entity_type(*ty)?);
    }

    let mut types = TypeSection::new();
    let mut functions = FunctionSection::new();
    let mut globals = GlobalSection::new();
    let mut elements = ElementSection::new();
    let mut code = CodeSection::new();
    let mut data = DataSection::new();
    let mut data_count = false;
    let mut next = Shift {
        globals: union_globals.len() as u32,
        ..Shift::default()
    };

    for (index, (bytes, own_imports)) in modules.iter().zip(&each).enumerate() {
        let mut shift = next.clone();
        shift.imported_globals = own_imports
            .iter()
            .filter(|(_, _, ty)| matches!(ty, TypeRef::Global(_)))
            .filter_map(|(m, n, _)| union_globals.iter().position(|g| *g == (*m, *n)))
            .map(|i| i as u32)
            .collect();
        let mut counts = Shift::default();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.with_context(|| format!("module {index} cannot be read"))?;
            match payload {
                Payload::Version { .. } | Payload::CodeSectionStart { .. } | Payload::End(_) => {}
                Payload::CustomSection(_) => {} // names and producers: not needed to run
                Payload::ImportSection(_) => {} // merged above
                Payload::TypeSection(section) => {
                    // Types, not recursion groups (a group may hold several).
                    for group in section.clone() {
                        counts.types += group?.types().count() as u32;
                    }
                    shift.parse_type_section(&mut types, section)?;
                }
                Payload::FunctionSection(section) => {
                    counts.functions = section.count();
                    shift.parse_function_section(&mut functions, section)?;
                }
                Payload::GlobalSection(section) => {
                    counts.globals = section.count();
                    shift.parse_global_section(&mut globals, section)?;
                }
                Payload::ElementSection(section) => {
                    counts.elements = section.count();
                    shift.parse_element_section(&mut elements, section)?;
                }
                Payload::DataCountSection { .. } => data_count = true,
                Payload::DataSection(section) => {
                    counts.data = section.count();
                    shift.parse_data_section(&mut data, section)?;
                }
                Payload::CodeSectionEntry(body) => shift.parse_function_body(&mut code, body)?,
                Payload::ExportSection(section) if section.count() == 0 => {}
                other => bail!(
                    "module {index} has a section a chunk does not have ({other:?}); \
                     it cannot be merged safely"
                ),
            }
        }
        next = Shift {
            types: next.types + counts.types,
            functions: next.functions + counts.functions,
            imported_globals: Vec::new(),
            globals: next.globals + counts.globals,
            data: next.data + counts.data,
            elements: next.elements + counts.elements,
        };
    }

    let mut module = Module::new();
    module.section(&types).section(&imports).section(&functions);
    if !globals.is_empty() {
        module.section(&globals);
    }
    module.section(&elements);
    if data_count {
        module.section(&DataCountSection { count: data.len() });
    }
    module.section(&code).section(&data);
    let merged = module.finish();
    // A wrong index would otherwise show only in the browser.
    Validator::new_with_features(WasmFeatures::all())
        .validate_all(&merged)
        .context("the merged module is not valid wasm")?;
    Ok(merged)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use wasm_encoder::{
        ConstExpr, Elements, EntityType, Function, GlobalType, Instruction, MemoryType, RefType,
        TableType, ValType,
    };
    use wasmparser::{ElementItems, ElementKind};

    /// A chunk as wasm-split writes it: the three shared imports, `functions` functions that
    /// each return a constant and call the next one, placed in the table from `slot`, and
    /// one data segment at `address`. `passive` adds a passive data segment used with
    /// `memory.init`, so data indices must shift too. Without `global`, the chunk does not
    /// import the stack pointer (wasm-split imports only what a chunk uses).
    fn chunk(slot: i32, functions: u32, address: i32, bytes: &[u8], passive: bool) -> Vec<u8> {
        chunk_with(slot, functions, address, bytes, passive, true)
    }

    fn chunk_with(
        slot: i32,
        functions: u32,
        address: i32,
        bytes: &[u8],
        passive: bool,
        global: bool,
    ) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        types.ty().function([ValType::I32], []); // unused, so type indices must shift
        let mut imports = ImportSection::new();
        imports.import(
            "__wasm_split",
            "memory",
            EntityType::Memory(MemoryType {
                minimum: 1,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
        );
        imports.import(
            "__wasm_split",
            "__indirect_function_table",
            EntityType::Table(TableType {
                element_type: RefType::FUNCREF,
                minimum: 64,
                maximum: None,
                table64: false,
                shared: false,
            }),
        );
        if global {
            imports.import(
                "__wasm_split",
                "__wasm_split_shared0",
                EntityType::Global(GlobalType {
                    val_type: ValType::I32,
                    mutable: true,
                    shared: false,
                }),
            );
        }
        let mut funcs = FunctionSection::new();
        let mut code = CodeSection::new();
        for f in 0..functions {
            funcs.function(0);
            let mut body = Function::new([]);
            if global {
                body.instruction(&Instruction::GlobalGet(0));
                body.instruction(&Instruction::Drop);
            }
            if passive && f == 0 {
                body.instruction(&Instruction::I32Const(0));
                body.instruction(&Instruction::I32Const(0));
                body.instruction(&Instruction::I32Const(0));
                body.instruction(&Instruction::MemoryInit {
                    mem: 0,
                    data_index: 1,
                });
            }
            if f + 1 < functions {
                body.instruction(&Instruction::Call(f + 1));
                body.instruction(&Instruction::Drop);
            }
            body.instruction(&Instruction::I32Const(f as i32));
            body.instruction(&Instruction::End);
            code.function(&body);
        }
        let mut elements = ElementSection::new();
        let items: Vec<u32> = (0..functions).collect();
        elements.active(
            Some(0),
            &ConstExpr::i32_const(slot),
            Elements::Functions(items.into()),
        );
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(address), bytes.iter().copied());
        if passive {
            data.passive([1u8, 2, 3]);
        }
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&funcs)
            .section(&elements);
        if passive {
            module.section(&DataCountSection { count: 2 });
        }
        module.section(&code).section(&data);
        module.finish()
    }

    fn validate(bytes: &[u8]) {
        Validator::new_with_features(WasmFeatures::all())
            .validate_all(bytes)
            .expect("the merged module is valid wasm");
    }

    /// Each element segment's table offset and the functions it places there.
    fn table_slots(bytes: &[u8]) -> Vec<(i32, Vec<u32>)> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            if let Payload::ElementSection(section) = payload.unwrap() {
                for element in section {
                    let element = element.unwrap();
                    let ElementKind::Active { offset_expr, .. } = element.kind else {
                        panic!("only active segments")
                    };
                    let mut ops = offset_expr.get_operators_reader();
                    let wasmparser::Operator::I32Const { value } = ops.read().unwrap() else {
                        panic!("constant offsets")
                    };
                    let ElementItems::Functions(funcs) = element.items else {
                        panic!("function items")
                    };
                    out.push((value, funcs.into_iter().map(Result::unwrap).collect()));
                }
            }
        }
        out
    }

    #[test]
    fn merged_chunks_keep_every_function_at_its_table_slot() {
        let a = chunk(10, 2, 100, b"alpha", false);
        let b = chunk(40, 3, 200, b"beta", true);
        let c = chunk_with(20, 1, 300, b"gamma", false, false);
        for module in [&a, &b, &c] {
            validate(module);
        }
        let merged = merge(&[&a, &b, &c]).unwrap();
        validate(&merged);
        assert_eq!(
            table_slots(&merged),
            vec![(10, vec![0, 1]), (40, vec![2, 3, 4]), (20, vec![5])],
            "each chunk's functions keep their slots, renumbered after the chunks before them"
        );
        let mut data = Vec::new();
        for payload in Parser::new(0).parse_all(&merged) {
            if let Payload::DataSection(section) = payload.unwrap() {
                data.extend(section.into_iter().map(|d| d.unwrap().data.to_vec()));
            }
        }
        assert_eq!(
            data,
            vec![
                b"alpha".to_vec(),
                b"beta".to_vec(),
                vec![1, 2, 3],
                b"gamma".to_vec()
            ],
            "every data segment is kept, in order"
        );
    }

    #[test]
    fn a_chunk_without_the_stack_pointer_import_still_finds_it_after_one_that_has_it() {
        // The first chunk imports no global; the second does, as global 0 of its own.
        let a = chunk_with(10, 1, 100, b"alpha", false, false);
        let b = chunk(40, 2, 200, b"beta", false);
        let merged = merge(&[&a, &b]).unwrap();
        validate(&merged);
        let mut imported = Vec::new();
        for payload in Parser::new(0).parse_all(&merged) {
            if let Payload::ImportSection(section) = payload.unwrap() {
                imported.extend(section.into_imports().map(|i| i.unwrap().name.to_owned()));
            }
        }
        assert_eq!(
            imported,
            [
                "memory",
                "__indirect_function_table",
                "__wasm_split_shared0"
            ],
            "each shared import once"
        );
    }

    #[test]
    fn one_chunk_merges_to_an_equivalent_module() {
        let a = chunk(5, 4, 64, b"only", true);
        let merged = merge(&[&a]).unwrap();
        validate(&merged);
        assert_eq!(table_slots(&merged), table_slots(&a));
    }

    #[test]
    fn modules_that_are_not_chunks_are_refused() {
        let a = chunk(10, 1, 100, b"alpha", false);
        let mut other = Module::new();
        let mut imports = ImportSection::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        imports.import("env", "f", EntityType::Function(0));
        other.section(&types).section(&imports);
        let other = other.finish();
        let error = format!("{:#}", merge(&[&a, &other]).unwrap_err());
        assert!(
            error.contains("imports"),
            "a function import is refused: {error}"
        );
        assert!(merge(&[]).is_err(), "nothing to merge is an error");
        // A chunk importing another table (a name of the same length, patched in place).
        let mut renamed = chunk(20, 1, 300, b"beta", false);
        let name = b"__indirect_function_table";
        let at = renamed.windows(name.len()).position(|w| w == name).unwrap();
        renamed[at..at + name.len()].copy_from_slice(b"__another_function_tablex");
        let error = format!("{:#}", merge(&[&a, &renamed]).unwrap_err());
        assert!(
            error.contains("2 tables"),
            "a second table is refused: {error}"
        );
        assert!(merge(&[b"not wasm"]).is_err(), "garbage is an error");
    }
}
