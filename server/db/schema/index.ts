export * from "./events";
export * from "./flows";
export * from "./tap";
export * from "./lag";
export * from "./replay";
export * from "./auth";
export * from "./tokens";
export * from "./flowmap";
