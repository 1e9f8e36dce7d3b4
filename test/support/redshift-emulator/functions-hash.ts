// Redshift's hash functions that PostgreSQL lacks: SHA2(string, bits) and FUNC_SHA1 / SHA1, as
// lower-case hex text of the string's UTF-8 bytes. MD5 is the same in both and needs nothing.

// SHA-1's initial hash value and round constants (FIPS 180-4, sections 5.3.1 and 4.2.1).
const SHA1_INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const SHA1_ROUND_CONSTANTS = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

export const HASH_FUNCTIONS: readonly string[] = [
  // SHA2(string, bits): 0 means 256; any other bit count gives an empty string, not an error.
  // https://docs.aws.amazon.com/redshift/latest/dg/SHA2.html
  `create or replace function pg_catalog.sha2(value text, bits integer) returns text
     language sql immutable strict
     as $$
       select case bits
         when 0 then encode(sha256(convert_to(value, 'UTF8')), 'hex')
         when 224 then encode(sha224(convert_to(value, 'UTF8')), 'hex')
         when 256 then encode(sha256(convert_to(value, 'UTF8')), 'hex')
         when 384 then encode(sha384(convert_to(value, 'UTF8')), 'hex')
         when 512 then encode(sha512(convert_to(value, 'UTF8')), 'hex')
         else ''
       end $$`,

  // PostgreSQL's core has no SHA-1 (only pgcrypto, which the test databases need not have), so it
  // is written out here: FIPS 180-4, section 6.1, on 32-bit words held in bigints.
  `create or replace function pg_catalog.redshift_sha1(message bytea) returns text
     language plpgsql immutable strict
     as $$
     declare
       mask constant bigint := 4294967295;
       padded bytea := message || decode('80', 'hex')
         || decode(repeat('00', ((55 - octet_length(message) % 64) + 64) % 64), 'hex')
         || int8send(octet_length(message)::bigint * 8);
       h bigint[] := array[${SHA1_INITIAL.join(', ')}];
       k constant bigint[] := array[${SHA1_ROUND_CONSTANTS.join(', ')}];
       w bigint[];
       a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; t bigint;
       base integer;
     begin
       for chunk in 0 .. octet_length(padded) / 64 - 1 loop
         base := chunk * 64;
         w := array[]::bigint[];
         for i in 0 .. 15 loop
           w[i] := (get_byte(padded, base + i * 4)::bigint << 24) | (get_byte(padded, base + i * 4 + 1)::bigint << 16)
             | (get_byte(padded, base + i * 4 + 2)::bigint << 8) | get_byte(padded, base + i * 4 + 3)::bigint;
         end loop;
         for i in 16 .. 79 loop
           t := w[i - 3] # w[i - 8] # w[i - 14] # w[i - 16];
           w[i] := ((t << 1) | (t >> 31)) & mask;
         end loop;
         a := h[1]; b := h[2]; c := h[3]; d := h[4]; e := h[5];
         for i in 0 .. 79 loop
           if i < 20 then f := (b & c) | (~b & mask & d);
           elsif i < 40 then f := b # c # d;
           elsif i < 60 then f := (b & c) | (b & d) | (c & d);
           else f := b # c # d;
           end if;
           t := ((((a << 5) | (a >> 27)) & mask) + f + e + k[i / 20 + 1] + w[i]) & mask;
           e := d; d := c; c := ((b << 30) | (b >> 2)) & mask; b := a; a := t;
         end loop;
         h[1] := (h[1] + a) & mask; h[2] := (h[2] + b) & mask; h[3] := (h[3] + c) & mask;
         h[4] := (h[4] + d) & mask; h[5] := (h[5] + e) & mask;
       end loop;
       return lpad(to_hex(h[1]), 8, '0') || lpad(to_hex(h[2]), 8, '0') || lpad(to_hex(h[3]), 8, '0')
         || lpad(to_hex(h[4]), 8, '0') || lpad(to_hex(h[5]), 8, '0');
     end $$`,
  // FUNC_SHA1(string) and its synonym SHA1(string): 40 hex digits.
  // https://docs.aws.amazon.com/redshift/latest/dg/FUNC_SHA1.html
  `create or replace function pg_catalog.func_sha1(value text) returns text
     language sql immutable strict
     as $$ select pg_catalog.redshift_sha1(convert_to(value, 'UTF8')) $$`,
  `create or replace function pg_catalog.sha1(value text) returns text
     language sql immutable strict
     as $$ select pg_catalog.redshift_sha1(convert_to(value, 'UTF8')) $$`,
];
