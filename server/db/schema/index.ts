export * from "./events";
export * from "./flows";
export * from "./tap";
export * from "./lag";
export * from "./replay";
