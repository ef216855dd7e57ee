/**
 * The database schema, one module per area; drizzle-kit reads this folder
 * (drizzle.config.ts). The status sets and modes its columns use are the vocabulary's
 * (lib/core/vocabulary.ts).
 */
export * from "./clients";
export * from "./executions";
export * from "./rollups";
export * from "./coverage";
export * from "./llm";
export * from "./runs";
export * from "./system";
export * from "./accounts";
export * from "./alerts";
