/*
 * csum.c - the Internet checksum (RFC 1071); see csum.h for the interface.
 *
 * The sum is kept unfolded in 32 bits and folded on every add, so any
 * number of ranges up to 64 KiB each can be summed without overflow.
 */
#include "csum.h"

static uint32_t csum_fold32(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint32_t vfr_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		if (sum & 0x80000000u)
			sum = csum_fold32(sum);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return csum_fold32(sum);
}

uint32_t vfr_csum_pseudo(uint32_t sum, const struct vfr_ip *src,
			 const struct vfr_ip *dst, uint8_t proto,
			 uint32_t l4_len)
{
	size_t alen = src->family == VFR_AF_INET6 ? 16 : 4;

	sum = vfr_csum_add(sum, src->b, alen);
	sum = vfr_csum_add(sum, dst->b, alen);
	sum += proto;
	sum += l4_len >> 16;
	sum += l4_len & 0xffff;
	return csum_fold32(sum);
}

uint16_t vfr_csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold32(sum);
}
