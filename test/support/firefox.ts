import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Firefox ESR; `FIREFOX_PATH` overrides it. No test downloads a browser. */
export function firefoxPath(): string {
  const path = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) {
    throw new Error(`Firefox not found at ${path}. Install it with "apt-get install -y firefox-esr" or set FIREFOX_PATH.`);
  }
  return path;
}

/**
 * Headless Firefox driven over WebDriver BiDi. Its preferences keep it off the network and let
 * WebRTC between pages of this machine use plain loopback addresses (no mDNS names).
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: {
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'media.peerconnection.ice.loopback': true,
      'app.update.enabled': false,
      'app.normandy.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'extensions.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
}
