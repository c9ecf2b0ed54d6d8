/* SHA-256 (FIPS 180-4), small and self-contained, for event ids: the
 * parser library must not pull in a crypto library for one hash. On x86-64
 * CPUs with the SHA extensions the block function uses them: hashing sees
 * every byte of every dispatch. */
#include <string.h>

/* GCC keeps the CPU's features from start-up (no cpuid per call, which
 * is slow under virtualisation); other compilers use the portable code. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define NW_SHA_X86 1
#endif

#include "wire.h"

static const uint32_t k256[64] = {0x428a2f98, 0x71374491, 0xb5c0fbcf,
    0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
    0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
    0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c,
    0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee,
    0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n)    (((x) >> (n)) | ((x) << (32 - (n))))
#define S0(a)        (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22))
#define S1(e)        (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25))
#define CH(e, f, g)  ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
/* Word i of the schedule from the sixteen before it, kept in a ring. */
#define W(i)                                                                   \
	(w[(i)&15] += (ROR(w[((i)-2) & 15], 17) ^ ROR(w[((i)-2) & 15], 19) ^   \
			  (w[((i)-2) & 15] >> 10)) +                           \
		w[((i)-7) & 15] +                                              \
		(ROR(w[((i)-15) & 15], 7) ^ ROR(w[((i)-15) & 15], 18) ^        \
		    (w[((i)-15) & 15] >> 3)))
/* One round: the eight working variables are not moved, their roles
 * turn instead (each round names them one place on), so an unrolled
 * round is only its arithmetic. */
#define ROUND(a, b, c, d, e, f, g, h, i, wi)                                   \
	do {                                                                   \
		uint32_t t1_ = (h) + S1(e) + CH(e, f, g) + k256[i] + (wi);     \
		(d) += t1_;                                                    \
		(h) = t1_ + S0(a) + MAJ(a, b, c);                              \
	} while (0)
#define ROUNDS8(i, wf)                                                         \
	do {                                                                   \
		ROUND(a, b, c, d, e, f, g, hh, (i), wf((i)));                  \
		ROUND(hh, a, b, c, d, e, f, g, (i) + 1, wf((i) + 1));          \
		ROUND(g, hh, a, b, c, d, e, f, (i) + 2, wf((i) + 2));          \
		ROUND(f, g, hh, a, b, c, d, e, (i) + 3, wf((i) + 3));          \
		ROUND(e, f, g, hh, a, b, c, d, (i) + 4, wf((i) + 4));          \
		ROUND(d, e, f, g, hh, a, b, c, (i) + 5, wf((i) + 5));          \
		ROUND(c, d, e, f, g, hh, a, b, (i) + 6, wf((i) + 6));          \
		ROUND(b, c, d, e, f, g, hh, a, (i) + 7, wf((i) + 7));          \
	} while (0)
#define W0(i) w[i]

/* The portable block function, for CPUs without the SHA extensions:
 * a sixteen-word schedule ring and the rounds unrolled by eight, which
 * is most of what a compiler needs to keep everything in registers. */
static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[16], a, b, c, d, e, f, g, hh;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	a = h[0], b = h[1], c = h[2], d = h[3];
	e = h[4], f = h[5], g = h[6], hh = h[7];
	ROUNDS8(0, W0);
	ROUNDS8(8, W0);
	for (i = 16; i < 64; i += 8)
		ROUNDS8(i, W);
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

#ifdef NW_SHA_X86
/* Whether the CPU has SHA-NI (and the SSE4.1/SSSE3 it is used with). */
static int
cpu_has_sha(void)
{
	return __builtin_cpu_supports("sha") &&
	    __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

/* The block function on SHA-NI. The instructions keep the state as the
 * word pairs ABEF and CDGH; each sha256rnds2 does two rounds, and
 * sha256msg1/msg2 extend the message schedule four words at a time. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i st0, st1, tmp, save0, save1, m[4], kv, t;
	int g;

	tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);
	st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);
	st0 = _mm_alignr_epi8(tmp, st1, 8);    /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0); /* CDGH */
	for (; nblocks > 0; nblocks--, p += 64) {
		save0 = st0;
		save1 = st1;
		/* unrolled, the schedule stays in registers and the four
		 * rounds of each group overlap with the next group's loads */
#pragma GCC unroll 16
		for (g = 0; g < 16; g++) {
			if (g < 4) {
				m[g] = _mm_shuffle_epi8(
				    _mm_loadu_si128(
					(const __m128i *)(const void *)(p +
					    16 * g)),
				    bswap);
			} else {
				t = _mm_sha256msg1_epu32(
				    m[(g - 4) & 3], m[(g - 3) & 3]);
				t = _mm_add_epi32(t,
				    _mm_alignr_epi8(
					m[(g - 1) & 3], m[(g - 2) & 3], 4));
				m[g & 3] =
				    _mm_sha256msg2_epu32(t, m[(g - 1) & 3]);
			}
			kv = _mm_add_epi32(m[g & 3],
			    _mm_loadu_si128((const __m128i *)&k256[4 * g]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, kv);
			st0 = _mm_sha256rnds2_epu32(
			    st0, st1, _mm_shuffle_epi32(kv, 0x0E));
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);    /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);    /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);    /* HGFE */
	_mm_storeu_si128((__m128i *)&h[0], st0);
	_mm_storeu_si128((__m128i *)&h[4], st1);
}
#endif

/* Whole blocks, on SHA-NI when the CPU has it. */
static void
sha256_blocks(struct nw_sha256 *s, const unsigned char *p, size_t nblocks)
{
#ifdef NW_SHA_X86
	if (s->hw) {
		sha256_blocks_ni(s->h, p, nblocks);
		return;
	}
#endif
	for (; nblocks > 0; nblocks--, p += 64)
		sha256_block(s->h, p);
}

void
nw_sha256_init(struct nw_sha256 *s)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->nbuf = 0;
#ifdef NW_SHA_X86
	s->hw = cpu_has_sha();
#else
	s->hw = 0;
#endif
}

void
nw_sha256_update(struct nw_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t take;

	s->len += n;
	if (s->nbuf > 0) {
		take = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take, p += take, n -= take;
		if (s->nbuf < 64)
			return;
		sha256_blocks(s, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 64) {
		sha256_blocks(s, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
nw_sha256_final(struct nw_sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	unsigned char pad[72] = {0x80};
	size_t npad;
	int i;

	npad = s->nbuf < 56 ? 56 - s->nbuf : 120 - s->nbuf;
	for (i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	nw_sha256_update(s, pad, npad + 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}
