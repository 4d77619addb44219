/**
 * The mapping rules, in the order they apply. Adding one: a module in this
 * folder exporting a MappingRule, a line here, a test (see migration/README.md).
 */
import { appMesh } from "./appMesh";
import { faultInjection } from "./faultInjection";
import { ipcMode } from "./ipcMode";
import { pidMode } from "./pidMode";
import { systemControls } from "./systemControls";
import { MappingRule } from "./types";

export const RULES: readonly MappingRule[] = [systemControls, pidMode, ipcMode, appMesh, faultInjection];
