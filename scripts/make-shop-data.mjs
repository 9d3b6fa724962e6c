#!/usr/bin/env node
/**
 * Writes examples/data/shop.csv (2,000 rows) and examples/data/shop_new.csv (12 rows, one city
 * that shop.csv never has): a synthetic mixed-type table for examples/shop_mixed.mlspec.
 * Deterministic (a fixed mulberry32 seed), so running it again gives the same bytes.
 *
 *   age, income    numeric
 *   city           category: 12 city names, each with its own effect on buying
 *   device         binary: mobile or desktop
 *   bought         the label, yes or no: whether 1.5 z(age) - z(income) + city effect
 *                  + device effect + noise is positive
 *
 * Usage: node scripts/make-shop-data.mjs [output folder, default examples/data]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261204);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const CITIES = ['Aarhus', 'Bologna', 'Cork', 'Dresden', 'Espoo', 'Faro', 'Ghent', 'Haarlem', 'Izmir', 'Jena', 'Kaunas', 'Lyon'];
const CITY_EFFECT = [2.2, -1.8, 0.4, -2.4, 1.6, -0.6, 2.6, -1.2, 0.9, -2.0, 1.3, -0.2];

function row(city) {
  const age = Math.round(18 + random() * 52);
  const income = Math.round(15000 + random() * 85000);
  const mobile = random() < 0.55;
  const effect = city < 0 ? 0 : CITY_EFFECT[city];
  const score = 1.5 * ((age - 44) / 15) - (income - 57500) / 24500 + effect + (mobile ? 0.7 : -0.7) + 0.3 * gaussian();
  return [age, income, city < 0 ? 'Atlantis' : CITIES[city], mobile ? 'mobile' : 'desktop', score > 0 ? 'yes' : 'no'];
}

const out = process.argv[2] ?? path.join('examples', 'data');
const header = 'age,income,city,device,bought';
const rows = Array.from({ length: 2000 }, () => row(Math.floor(random() * CITIES.length)));
fs.writeFileSync(path.join(out, 'shop.csv'), `${[header, ...rows.map((r) => r.join(','))].join('\n')}\n`);
// New rows for evaluate and predict: the first four come from a city the training data never saw.
const fresh = [...Array.from({ length: 4 }, () => row(-1)), ...Array.from({ length: 8 }, () => row(Math.floor(random() * CITIES.length)))];
fs.writeFileSync(path.join(out, 'shop_new.csv'), `${[header, ...fresh.map((r) => r.join(','))].join('\n')}\n`);
