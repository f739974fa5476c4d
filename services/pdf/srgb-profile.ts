import sharp from 'sharp';

let cached: Promise<Buffer> | undefined;

/**
 * The sRGB ICC profile for the PDF/A output intent. libvips (inside sharp, which ships with the
 * app) carries a built-in sRGB profile and attaches it to any image on request; reading it back
 * from a 1x1 image gives the profile without a separate file or a network fetch.
 */
export function srgbProfile(): Promise<Buffer> {
  cached ??= (async () => {
    const probe = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } })
      .withIccProfile('srgb')
      .png()
      .toBuffer();
    const { icc } = await sharp(probe).metadata();
    if (!icc || icc.toString('latin1', 16, 20) !== 'RGB ') throw new Error('sharp did not provide an sRGB ICC profile');
    return icc;
  })();
  return cached;
}
