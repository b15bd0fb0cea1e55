// Preferences and the about screen.

import { call } from "./bridge.js";

/** {autoLockSeconds, language}. */
export const getSettings = () => call("get_settings");

/** Stores {autoLockSeconds, language} and returns them. */
export const setSettings = (settings) => call("set_settings", { settings });

/** {name, version, license, mobile}. */
export const appInfo = () => call("app_info");
