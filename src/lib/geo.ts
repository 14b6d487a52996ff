/**
 * Distance search for projects and parks: `near=lat,lng&radius=km`, and GeoJSON for maps.
 */

export interface Near {
  lat: number;
  lng: number;
  radiusKm: number;
}

export const MAX_RADIUS_KM = 500;
const EARTH_RADIUS_KM = 6371.0088;

export type NearCheck = { ok: true; near: Near } | { ok: false; message: string; path: string };

/** Parses `near` and `radius` (km, default 10). */
export const parseNear = (near: unknown, radius: unknown): NearCheck => {
  if (typeof near !== 'string' || !/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/.test(near)) {
    return { ok: false, path: 'near', message: 'near must be "latitude,longitude", e.g. near=34.66,112.40' };
  }
  const [lat, lng] = near.split(',').map(Number);
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180)
    return { ok: false, path: 'near', message: 'near: latitude −90…90, longitude −180…180' };
  const radiusKm = radius === undefined || radius === '' ? 10 : Number(radius);
  if (!Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_RADIUS_KM) {
    return {
      ok: false,
      path: 'radius',
      message: `radius must be a number of kilometres, above 0 and at most ${MAX_RADIUS_KM}`,
    };
  }
  return { ok: true, near: { lat, lng, radiusKm } };
};

const rad = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km (haversine). */
export const distanceKm = (a: { lat: number; lng: number }, b: { lat: number; lng: number }): number => {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * A latitude/longitude box containing the circle: a cheap SQL pre-filter before the exact distance.
 * The circle's widest longitude is asin(sin r / cos lat), a little more than r / cos lat. A circle
 * around a pole or across the antimeridian gets every longitude (one BETWEEN cannot wrap).
 */
export const boundingBox = ({ lat, lng, radiusKm }: Near) => {
  const angle = radiusKm / EARTH_RADIUS_KM;
  const dLat = angle * (180 / Math.PI);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const ratio = Math.sin(angle) / Math.cos(rad(lat));
  const dLng = ratio < 1 ? Math.asin(ratio) * (180 / Math.PI) : 180;
  if (lat - dLat <= -90 || lat + dLat >= 90 || lng - dLng < -180 || lng + dLng > 180)
    return { minLat, maxLat, minLng: -180, maxLng: 180 };
  return { minLat, maxLat, minLng: lng - dLng, maxLng: lng + dLng };
};

export interface Located {
  documentId: string;
  latitude: number | string | null;
  longitude: number | string | null;
}

/** The located entries within the radius, nearest first, with their distance. */
export const withinRadius = <T extends Located>(rows: T[], near: Near) =>
  rows
    .filter((row) => row.latitude != null && row.longitude != null)
    .map((row) => ({
      row,
      distanceKm: Math.round(distanceKm(near, { lat: Number(row.latitude), lng: Number(row.longitude) }) * 1000) / 1000,
    }))
    .filter(({ distanceKm: d }) => d <= near.radiusKm)
    .sort((a, b) => a.distanceKm - b.distanceKm);

export interface Feature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** A GeoJSON point (RFC 7946: longitude first). */
export const pointFeature = (
  id: string,
  latitude: number | string,
  longitude: number | string,
  properties: Record<string, unknown>,
): Feature => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [Number(longitude), Number(latitude)] },
  properties,
});
