export * from "./queries";
export * from "./mutations";
