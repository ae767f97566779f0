import { describe, expect, it } from 'vitest';
import { formatScale, scaleDenominator, toDms, wrapLng } from '../../../renderer/map/coords';
import { commodityColor, OTHER_COLOR } from '../../../renderer/map/palette';

describe('status bar coordinates', () => {
  it('formats degrees as DMS with the hemisphere', () => {
    // Mountain Pass, California (worked by hand: 0.53° = 31.8′ = 31′48″).
    expect(toDms(-115.53, 'lng')).toBe('115°31′48.0″W');
    expect(toDms(35.48, 'lat')).toBe('35°28′48.0″N');
    expect(toDms(-33.8568, 'lat')).toBe('33°51′24.5″S');
    expect(toDms(0, 'lng')).toBe('0°00′00.0″E');
    // Rounding carries into minutes and degrees, never shows 60″.
    expect(toDms(10.99999999, 'lat')).toBe('11°00′00.0″N');
    expect(toDms(180, 'lng')).toBe('180°00′00.0″E');
    expect(toDms(-90, 'lat')).toBe('90°00′00.0″S');
  });

  it('wraps longitudes of world copies into −180…180', () => {
    expect(wrapLng(190)).toBe(-170);
    expect(wrapLng(-190)).toBe(170);
    expect(wrapLng(540)).toBe(180);
    expect(wrapLng(-180)).toBe(-180);
    expect(wrapLng(12.5)).toBe(12.5);
  });

  it('computes the scale denominator for 512 px tiles and 0.28 mm pixels', () => {
    // z0 at the equator: 40075016.686 m / 512 px = 78271.5 m/px; / 0.00028 m = 279,541,132.
    expect(scaleDenominator(0, 0)).toBeCloseTo(279_541_132, -1);
    expect(scaleDenominator(1, 60)).toBeCloseTo(279_541_132 / 4, -1);
    expect(formatScale(279_541_132)).toBe('1:280,000,000');
    expect(formatScale(55_612)).toBe('1:55,600');
    expect(formatScale(NaN)).toBe('—');
  });
});

describe('commodity palette', () => {
  it('gives REE members the REE colour and unknown codes grey', () => {
    expect(commodityColor('Nd')).toBe(commodityColor('REE'));
    expect(commodityColor('Dy')).toBe(commodityColor('REE'));
    expect(commodityColor('Li')).not.toBe(commodityColor('Cu'));
    expect(commodityColor('Au')).toBe(OTHER_COLOR);
    expect(commodityColor(null)).toBe(OTHER_COLOR);
  });
});
