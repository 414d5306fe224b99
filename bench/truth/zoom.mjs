#!/usr/bin/env node
// bench/truth/zoom: 32x32 crops of corpus images enlarged 8x (nearest neighbour), four to a row,
// for checking a border line or a lattice by eye while labelling bench/truth/corpus-truth.tsv.
// Usage (from the checkout): node bench/truth/zoom.mjs OUT.png PATH@WHERE ...
//   PATH relative to ../shared/corpus/dev; WHERE: tl tr bl br (corners), tm bm lm rm (side middles), c (centre).
import sharp from 'sharp';
const dir = '../shared/corpus/dev/';
const [out, ...specs] = process.argv.slice(2);
if (!out || !specs.length) {
  console.error('usage: node bench/truth/zoom.mjs OUT.png PATH@WHERE ...');
  process.exit(2);
}
const tiles=[];
for (const spec of specs) {
  const [f, corner] = spec.split('@');
  const img = sharp(dir+f).flatten({background:'#fff'}).removeAlpha();
  const m = await img.metadata();
  if (!m.width) throw new Error(`${f}: unreadable`);
  const s=32, W=m.width, H=m.height;
  const pos={tl:[0,0],tr:[W-s,0],bl:[0,H-s],br:[W-s,H-s],bm:[(W>>1)-16,H-s],tm:[(W>>1)-16,0],lm:[0,(H>>1)-16],rm:[W-s,(H>>1)-16],c:[(W>>1)-16,(H>>1)-16]}[corner];
  tiles.push(await sharp(dir+f).flatten({background:'#fff'}).removeAlpha().extract({left:pos[0],top:pos[1],width:s,height:s}).resize(256,256,{kernel:'nearest'}).png().toBuffer());
}
const cols=4;
await sharp({create:{width:cols*260,height:Math.ceil(tiles.length/cols)*260,channels:3,background:'#f0f'}}).composite(tiles.map((t,k)=>({input:t,left:(k%cols)*260,top:Math.floor(k/cols)*260}))).png().toFile(out);
