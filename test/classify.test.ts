import { describe, expect, it } from "vitest";
import { classifyExecution, compileRules, parseFilterRules, DEFAULT_FILTER_RULES } from "@/lib/ingest/classify";
import { AppError } from "@/lib/core/errors";

const classify = (mode: string, name: string, tags: string[] = [], rules: unknown = {}) =>
  classifyExecution({ mode }, { name, tags }, compileRules(parseFilterRules(rules)));

describe("production filter", () => {
  it.each([
    // [mode, workflow name, tags, rules, isProduction, reason]
    ["manual", "Invoice sync", [], {}, false, "manual"],
    ["manual", "Invoice sync", ["production"], {}, false, "manual"],
    ["manual", "Invoice sync", [], { excludeManual: false }, true, null],
    ["trigger", "Invoice sync", [], {}, true, null],
    ["webhook", "Lead intake", [], {}, true, null],
    ["retry", "Lead intake", [], {}, true, null],
    ["trigger", "Test harness", ["production"], {}, true, null],
    ["trigger", "Invoice sync", ["Staging"], {}, false, "tag:staging"],
    ["trigger", "Invoice sync", ["prod", "dev"], {}, true, null],
    ["trigger", "Invoice sync", ["dev"], { includePatterns: ["^invoice"] }, true, null],
    ["trigger", "Invoice sync (old)", [], { excludePatterns: ["\\(old\\)$"] }, false, "pattern:\\(old\\)$"],
    ["trigger", "TEST - webhook playground", [], {}, false, "test-name:test"],
    ["trigger", "[dev] CRM migration", [], {}, false, "test-name:dev"],
    ["trigger", "Debug payloads", [], {}, false, "test-name:debug"],
    ["trigger", "Contest entries", [], {}, true, null],
    ["trigger", "Developer digest", [], {}, true, null],
    ["trigger", "TEST - webhook playground", [], { excludeTestWorkflows: false }, true, null],
  ] as const)("%s run of %j tags %j rules %j → production %s (%s)", (mode, name, tags, rules, prod, reason) => {
    const c = classify(mode, name, [...tags], rules);
    expect(c).toEqual({ isProduction: prod, exclusionReason: reason });
  });

  it("applies the rules in order: a tag beats a client exclude pattern, an include pattern beats a test word", () => {
    expect(classify("trigger", "Sync job", ["sandbox"], { excludePatterns: ["job"] }).exclusionReason).toBe(
      "tag:sandbox",
    );
    expect(classify("trigger", "Demo importer", [], { includePatterns: ["importer"] }).isProduction).toBe(true);
  });
});

describe("filter rules validation", () => {
  it("fills the documented defaults", () => {
    expect(DEFAULT_FILTER_RULES).toEqual({
      excludeManual: true,
      excludeTestWorkflows: true,
      includePatterns: [],
      excludePatterns: [],
    });
  });

  it("rejects an invalid regex with a message that names the field and the pattern", () => {
    let error: unknown;
    try {
      parseFilterRules({ excludePatterns: ["ok", "(unclosed"] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toMatch(
      /^filterRules\.excludePatterns\.1: invalid regular expression "\(unclosed"/,
    );
  });

  it("rejects unknown keys and wrong types", () => {
    expect(() => parseFilterRules({ excludeManaul: true })).toThrow(/filterRules/);
    expect(() => parseFilterRules({ excludeManual: "yes" })).toThrow(/filterRules\.excludeManual/);
  });
});
