import type { BBox } from '../../common/api/contract';

/**
 * How the image Tesseract reads was made from the original: cropped, turned about its centre by
 * `degrees` clockwise (sharp enlarges the canvas to fit), then scaled. Boxes found in the
 * cleaned image are mapped back through it, so they land on the original's pixels.
 */
export interface PageGeometry {
  original: { width: number; height: number };
  crop: { left: number; top: number; width: number; height: number };
  degrees: number;
  rotated: { width: number; height: number };
  /** Cleaned pixels per rotated pixel. */
  scale: number;
}

export function identityGeometry(width: number, height: number): PageGeometry {
  return { original: { width, height }, crop: { left: 0, top: 0, width, height }, degrees: 0, rotated: { width, height }, scale: 1 };
}

export function toOriginalBox(geometry: PageGeometry, box: BBox): BBox {
  const { crop, rotated, scale, original } = geometry;
  const radians = (geometry.degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const corners = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x0, box.y1],
    [box.x1, box.y1],
  ].map(([x = 0, y = 0]) => {
    const rx = x / scale - rotated.width / 2;
    const ry = y / scale - rotated.height / 2;
    // Undo a clockwise turn (y points down): turn counter-clockwise by the same angle.
    return [rx * cos + ry * sin + crop.width / 2 + crop.left, -rx * sin + ry * cos + crop.height / 2 + crop.top] as const;
  });
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, Math.round(value)));
  return {
    x0: clamp(Math.min(...xs), original.width),
    y0: clamp(Math.min(...ys), original.height),
    x1: clamp(Math.max(...xs), original.width),
    y1: clamp(Math.max(...ys), original.height),
  };
}
