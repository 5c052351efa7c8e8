#!/usr/bin/env python3
"""Fits the Huffman code of storypath's drawn share cards (src/render/share/encode.rs, LENGTHS).

Usage: python3 docs/card_code.py OG_FOLDER...   (folders of drawn cards: og/stories, og/roles)

Reads each card's PNG, inflates its rows (Python's zlib) and counts the deflate symbols
storypath's encoder writes for them: a row that is all zeros after the Up filter is its
filter byte and a run; other rows are read eight bytes at a time, a word's bytes between
its first and last non-zero byte being literals and the zeros around them runs (a literal
zero, then copies at distance 1). Prints the code lengths of a Huffman code of the counts,
each plus one, limited to 15 bits, as LENGTHS holds them. Session 19 fitted them on the
1,060 cards of `bench 1000 --generate-only`'s site and the demo.
"""
import sys, os, zlib, struct, heapq

BASES=[3,4,5,6,7,8,9,10,11,13,15,17,19,23,27,31,35,43,51,59,67,83,99,115,131,163,195,227,258]
def lsym(m):
    s=28
    while BASES[s]>m: s-=1
    return 257+s
def idat(path):
    d=open(path,'rb').read(); i=8; z=b''
    while i<len(d):
        n,=struct.unpack('>I',d[i:i+4]); t=d[i+4:i+8]
        if t==b'IHDR': w,=struct.unpack('>I',d[i+8:i+12])
        if t==b'IDAT': z+=d[i+8:i+8+n]
        i+=12+n
    return zlib.decompress(z),(w+1)//2
cnt=[0]*286
def run(n):
    if n==0: return
    cnt[0]+=1; m=n-1
    if n<=259:
        if n<=3: cnt[0]+=n-1
        else: cnt[lsym(m)]+=1
        return
    while m>=258: cnt[285]+=1; m-=258
    if m>=3: cnt[lsym(m)]+=1
    else: cnt[0]+=m
def card(path):
    raw,stride=idat(path); zeros=0
    for y in range(len(raw)//(stride+1)):
        row=raw[y*(stride+1):(y+1)*(stride+1)]
        if not any(row[1:]):
            run(zeros); zeros=0; cnt[row[0]]+=1; zeros+=stride; continue
        k=0
        while k+8<=len(row):
            wd=row[k:k+8]; k+=8
            if not any(wd): zeros+=8; continue
            nz=[i for i,b in enumerate(wd) if b]; first,last=nz[0],nz[-1]
            zeros+=first; run(zeros); zeros=0
            for b in wd[first:last+1]: cnt[b]+=1
            zeros=7-last
        for b in row[k:]:
            if b==0: zeros+=1
            else: run(zeros); zeros=0; cnt[b]+=1
    run(zeros); cnt[256]+=1
files=[]
files=[]
for d in sys.argv[1:]:
    files+= [os.path.join(d,f) for f in sorted(os.listdir(d)) if f.endswith('.png')]
for f in files: card(f)
print(len(files), 'cards', file=sys.stderr)
def lengths(c):
    while True:
        h=[(x+1,i,None) for i,x in enumerate(c)]  # +1: every symbol has a code
        h=[(w,i,[i]) for w,i,_ in h]; heapq.heapify(h); L=[0]*len(c); uid=len(c)
        while len(h)>1:
            a=heapq.heappop(h); b=heapq.heappop(h)
            for s in a[2]+b[2]: L[s]+=1
            heapq.heappush(h,(a[0]+b[0],uid,a[2]+b[2])); uid+=1
        if max(L)<=15: return L
        c=[x//2 for x in c]
L=lengths(cnt)
bits=sum(L[i]*cnt[i] for i in range(286))
EXTRA=[0]*8+[1]*4+[2]*4+[3]*4+[4]*4+[5]*4+[0]
ext=sum(EXTRA[i-257]*cnt[i] for i in range(257,286))
nm=sum(cnt[257:286])
def fixed(i): return 8 if i<144 else 9 if i<256 else 7 if i<280 else 8
fb=sum(fixed(i)*cnt[i] for i in range(286))
print('per card: dynamic %.0f B, fixed %.0f B (+extra and distances)'%((bits+ext+nm*1)/8/len(files),(fb+ext+nm*5)/8/len(files)), file=sys.stderr)
print(','.join(map(str,L)))
