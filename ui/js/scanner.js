// The camera QR scanner on phones (tauri-plugin-barcode-scanner, called through the bridge).

import { call } from "./bridge.js";

/** Scans one QR code with the camera and returns its text. */
export async function scanQr() {
  const result = await call("plugin:barcode-scanner|scan", { formats: ["QR_CODE"], windowed: false });
  return result.content;
}
