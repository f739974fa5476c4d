/** Device ids carry their backend so that SANE, eSCL, TWAIN and WIA devices can share one list. */
const PREFIX = 'sane:';

export function toDeviceId(saneName: string): string {
  return PREFIX + saneName;
}

/** The SANE device name inside a device id, or undefined if the id belongs to another backend. */
export function toSaneName(deviceId: string): string | undefined {
  if (!deviceId.startsWith(PREFIX)) return undefined;
  const saneName = deviceId.slice(PREFIX.length);
  return saneName === '' ? undefined : saneName;
}
