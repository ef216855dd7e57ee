// The pure rules only; reclassify.ts touches the database and is imported by path.
export * from "./classify";
export * from "@/lib/clients/rules";
