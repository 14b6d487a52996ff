import { boundingBox, distanceKm, MAX_RADIUS_KM, parseNear, pointFeature, withinRadius } from '../../src/lib/geo';

const LUOYANG = { lat: 34.62, lng: 112.45 };
const ZHENGZHOU = { lat: 34.75, lng: 113.63 };
const EARTH_RADIUS_KM = 6371.0088;

/** The point `km` away from (lat, lng) on the given bearing (degrees), longitude in −180…180. */
const destination = (lat: number, lng: number, km: number, bearing: number) => {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const d = km / EARTH_RADIUS_KM;
  const phi1 = rad(lat);
  const theta = rad(bearing);
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta));
  const lambda2 =
    rad(lng) +
    Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
  return { lat: (phi2 * 180) / Math.PI, lng: (((((lambda2 * 180) / Math.PI + 540) % 360) + 360) % 360) - 180 };
};

describe('parseNear', () => {
  it('reads "lat,lng" and a radius in km, 10 km by default', () => {
    expect(parseNear('34.66,112.40', undefined)).toEqual({ ok: true, near: { lat: 34.66, lng: 112.4, radiusKm: 10 } });
    expect(parseNear('34.66,112.40', '')).toEqual({ ok: true, near: { lat: 34.66, lng: 112.4, radiusKm: 10 } });
    expect(parseNear(' -33.9 , -70 ', '25.5')).toEqual({ ok: true, near: { lat: -33.9, lng: -70, radiusKm: 25.5 } });
    expect(parseNear('0,0', 3)).toEqual({ ok: true, near: { lat: 0, lng: 0, radiusKm: 3 } });
  });

  it('accepts the edges of the coordinate and radius ranges', () => {
    expect(parseNear('90,180', String(MAX_RADIUS_KM))).toEqual({
      ok: true,
      near: { lat: 90, lng: 180, radiusKm: MAX_RADIUS_KM },
    });
    expect(parseNear('-90,-180', '0.001')).toEqual({ ok: true, near: { lat: -90, lng: -180, radiusKm: 0.001 } });
  });

  it.each([
    ['34.66'],
    ['34.66,'],
    [',112.40'],
    ['34.66;112.40'],
    ['34.66 112.40'],
    ['34.66,112.40,5'],
    ['a,b'],
    ['1e2,3'],
    ['+34.66,112.40'],
    ['.5,112'],
    ['34.,112'],
    [''],
    [undefined],
    [null],
    [34.66],
    [['34.66,112.40']],
    [{ lat: 34.66, lng: 112.4 }],
  ])('rejects the format %j', (near) => {
    const check = parseNear(near, undefined);
    expect(check).toEqual({ ok: false, path: 'near', message: expect.stringContaining('latitude,longitude') });
  });

  it.each([['90.0001,0'], ['-90.5,0'], ['0,180.5'], ['0,-181'], ['100,100'], ['-91,-181']])(
    'rejects coordinates out of range: %s',
    (near) => {
      const check = parseNear(near, '5');
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.path).toBe('near');
      expect(check.message).toMatch(/latitude −90…90, longitude −180…180/);
    },
  );

  it.each([['0'], ['-5'], [0], [-0.1], [String(MAX_RADIUS_KM + 0.1)], ['1000'], ['abc'], ['Infinity'], [NaN], [' ']])(
    'rejects the radius %j',
    (radius) => {
      const check = parseNear('34.66,112.40', radius);
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.path).toBe('radius');
      expect(check.message).toContain(`at most ${MAX_RADIUS_KM}`);
    },
  );

  it('checks the point before the radius', () => {
    expect(parseNear('x', 'y')).toMatchObject({ ok: false, path: 'near' });
  });
});

describe('distanceKm', () => {
  it('matches known distances', () => {
    expect(Math.abs(distanceKm(LUOYANG, ZHENGZHOU) - 108)).toBeLessThan(2);
    // Beijing – Shanghai, about 1067 km on the great circle
    expect(Math.abs(distanceKm({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }) - 1067)).toBeLessThan(
      3,
    );
  });

  it('is zero for the same point and symmetric', () => {
    expect(distanceKm(LUOYANG, LUOYANG)).toBe(0);
    expect(distanceKm({ lat: -45, lng: -170 }, { lat: -45, lng: -170 })).toBe(0);
    expect(distanceKm(LUOYANG, ZHENGZHOU)).toBeCloseTo(distanceKm(ZHENGZHOU, LUOYANG), 9);
  });

  it('uses the mean earth radius: a degree of the equator, a quarter and half the globe', () => {
    const degree = (Math.PI * EARTH_RADIUS_KM) / 180; // ≈ 111.195 km
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBeCloseTo(degree, 6);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(degree, 6);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 90 })).toBeCloseTo(degree * 90, 6);
    expect(distanceKm({ lat: 90, lng: 0 }, { lat: -90, lng: 0 })).toBeCloseTo(degree * 180, 6);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(degree * 180, 6);
  });

  it('takes the short way across the antimeridian', () => {
    const degree = (Math.PI * EARTH_RADIUS_KM) / 180;
    expect(distanceKm({ lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 })).toBeCloseTo(degree, 6);
    expect(Math.abs(distanceKm({ lat: -17.7, lng: 178.1 }, { lat: -17.7, lng: -178.1 }) - 402.5)).toBeLessThan(2);
    expect(distanceKm({ lat: 0, lng: 180 }, { lat: 0, lng: -180 })).toBeCloseTo(0, 9);
  });

  it('shrinks degrees of longitude towards the poles', () => {
    const atEquator = distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 1 });
    expect(distanceKm({ lat: 60, lng: 0 }, { lat: 60, lng: 1 })).toBeCloseTo(atEquator / 2, 2);
    expect(distanceKm({ lat: 90, lng: 0 }, { lat: 90, lng: 120 })).toBeCloseTo(0, 9);
  });
});

describe('boundingBox', () => {
  const inside = (box: ReturnType<typeof boundingBox>, point: { lat: number; lng: number }) =>
    point.lat >= box.minLat - 1e-9 &&
    point.lat <= box.maxLat + 1e-9 &&
    point.lng >= box.minLng - 1e-9 &&
    point.lng <= box.maxLng + 1e-9;

  it.each([
    ['Luoyang, 10 km', { ...LUOYANG, radiusKm: 10 }],
    ['Luoyang, 500 km', { ...LUOYANG, radiusKm: 500 }],
    ['Harbin, 500 km', { lat: 45.8, lng: 126.5, radiusKm: 500 }],
    ['Mohe, 500 km', { lat: 53.5, lng: 122.3, radiusKm: 500 }],
    ['Helsinki, 500 km', { lat: 60.17, lng: 24.94, radiusKm: 500 }],
    ['southern hemisphere', { lat: -33.9, lng: 151.2, radiusKm: 300 }],
    ['the equator', { lat: 0, lng: 0, radiusKm: 500 }],
    ['across the antimeridian', { lat: 0, lng: 179.9, radiusKm: 50 }],
    ['Fiji, across the antimeridian', { lat: -17.7, lng: -179.95, radiusKm: 100 }],
    ['around the north pole', { lat: 89.9, lng: 10, radiusKm: 100 }],
    ['the south pole itself', { lat: -90, lng: 0, radiusKm: 20 }],
  ])('contains the whole circle: %s', (_name, near) => {
    const box = boundingBox(near);
    expect(box.minLat).toBeLessThan(near.lat + 1e-9);
    expect(box.maxLat).toBeGreaterThan(near.lat - 1e-9);
    for (let bearing = 0; bearing < 360; bearing += 1) {
      for (const fraction of [1, 0.5]) {
        const point = destination(near.lat, near.lng, near.radiusKm * fraction, bearing);
        expect(Math.abs(distanceKm(near, point) - near.radiusKm * fraction)).toBeLessThan(1e-6);
        if (!inside(box, point)) throw new Error(`${JSON.stringify(point)} outside ${JSON.stringify(box)}`);
      }
    }
  });

  it('is tight: about the radius north–south, wider east–west away from the equator', () => {
    const degree = (Math.PI * EARTH_RADIUS_KM) / 180;
    const box = boundingBox({ ...LUOYANG, radiusKm: 10 });
    expect(box.maxLat - LUOYANG.lat).toBeCloseTo(10 / degree, 9);
    expect(LUOYANG.lat - box.minLat).toBeCloseTo(10 / degree, 9);
    const dLng = box.maxLng - LUOYANG.lng;
    expect(LUOYANG.lng - box.minLng).toBeCloseTo(dLng, 9);
    expect(dLng).toBeGreaterThan(10 / degree / Math.cos((LUOYANG.lat * Math.PI) / 180) - 1e-9);
    expect(dLng).toBeLessThan((10 / degree / Math.cos((LUOYANG.lat * Math.PI) / 180)) * 1.001);
    // a point just outside the box is further away than the radius
    expect(distanceKm(LUOYANG, { lat: box.maxLat + 0.001, lng: LUOYANG.lng })).toBeGreaterThan(10);
    expect(distanceKm(LUOYANG, { lat: LUOYANG.lat, lng: box.maxLng + 0.001 })).toBeGreaterThan(10);
  });

  it('stays within valid coordinates', () => {
    for (const near of [
      { lat: 89.9, lng: 10, radiusKm: 100 },
      { lat: 0, lng: 179.9, radiusKm: 50 },
      { lat: -89, lng: -179, radiusKm: 500 },
    ]) {
      const box = boundingBox(near);
      expect(box.minLat).toBeGreaterThanOrEqual(-90);
      expect(box.maxLat).toBeLessThanOrEqual(90);
      expect(box.minLng).toBeGreaterThanOrEqual(-180);
      expect(box.maxLng).toBeLessThanOrEqual(180);
    }
  });
});

describe('withinRadius', () => {
  const near = { ...LUOYANG, radiusKm: 120 };
  const rows = [
    { documentId: 'zhengzhou', latitude: 34.75, longitude: 113.63 },
    { documentId: 'beijing', latitude: 39.9042, longitude: 116.4074 },
    { documentId: 'here', latitude: '34.62', longitude: '112.45' },
    { documentId: 'no-latitude', latitude: null, longitude: 112.45 },
    { documentId: 'no-longitude', latitude: 34.62, longitude: null },
    { documentId: 'yichuan', latitude: 34.42, longitude: 112.43, extra: 'kept' },
  ];

  it('keeps located rows within the radius, nearest first, with distances in km to the metre', () => {
    const found = withinRadius(rows, near);
    expect(found.map(({ row }) => row.documentId)).toEqual(['here', 'yichuan', 'zhengzhou']);
    expect(found[0].distanceKm).toBe(0);
    expect(found[1].distanceKm).toBeCloseTo(distanceKm(LUOYANG, { lat: 34.42, lng: 112.43 }), 3);
    expect(found[2].distanceKm).toBeCloseTo(distanceKm(LUOYANG, ZHENGZHOU), 3);
    for (const { distanceKm: d } of found) expect(Math.round(d * 1000) / 1000).toBe(d);
    expect(found[1].row).toBe(rows[5]);
  });

  it('treats the radius as inclusive and excludes anything beyond it', () => {
    const toZhengzhou = Math.round(distanceKm(LUOYANG, ZHENGZHOU) * 1000) / 1000;
    expect(withinRadius(rows, { ...near, radiusKm: toZhengzhou }).map(({ row }) => row.documentId)).toContain(
      'zhengzhou',
    );
    expect(
      withinRadius(rows, { ...near, radiusKm: toZhengzhou - 0.01 }).map(({ row }) => row.documentId),
    ).not.toContain('zhengzhou');
    expect(withinRadius(rows, { ...near, radiusKm: 0.001 }).map(({ row }) => row.documentId)).toEqual(['here']);
  });

  it('returns nothing for no rows', () => {
    expect(withinRadius([], near)).toEqual([]);
  });
});

describe('pointFeature', () => {
  it('is a GeoJSON point with longitude first', () => {
    const feature = pointFeature('projects/d1', 34.62, 112.45, { title: '梧桐谷', distanceKm: 1.5 });
    expect(feature).toEqual({
      type: 'Feature',
      id: 'projects/d1',
      geometry: { type: 'Point', coordinates: [112.45, 34.62] },
      properties: { title: '梧桐谷', distanceKm: 1.5 },
    });
  });

  it('turns decimal strings from the database into numbers', () => {
    const feature = pointFeature('parks/p', '-33.9', '151.2', {});
    expect(feature.geometry.coordinates).toEqual([151.2, -33.9]);
    for (const value of feature.geometry.coordinates) expect(typeof value).toBe('number');
    const [lng, lat] = feature.geometry.coordinates;
    expect(Math.abs(lng)).toBeLessThanOrEqual(180);
    expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    expect(JSON.parse(JSON.stringify(feature))).toEqual(feature);
  });
});
