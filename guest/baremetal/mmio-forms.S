/*
 * Device accesses by every load/store form armkvm decodes: A32 LDR/STR{B,H},
 * LDRS{B,H}, LDRD/STRD, LDM/STM (IA/IB/DA/DB, writeback) and, in a Thumb
 * section, the 16-bit and 32-bit Thumb forms, against the GIC distributor's
 * SPI priority bytes (read/write) and the PL011's ID registers (read-only
 * constants). Before each check r0-r12 hold sentinels; after it all thirteen
 * are compared with what the architecture says. One line per check prints the
 * registers that changed (or should have), so the output is worth comparing
 * with TCG's.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common.inc"

	.equ	PRIO,		0x08000420	@ GICD_IPRIORITYR of SPIs 32-95: 64 bytes
	.equ	UID,		0x09000fe0	@ PL011 PeriphID0-3, PCellID0-3
	.equ	SENTINEL,	0x5e5e5e00	@ rN holds SENTINEL + N before each check

	@ The PL011's ID bytes, one per word from UID.
	.equ	ID0, 0x11
	.equ	ID1, 0x10
	.equ	ID2, 0x14
	.equ	ID3, 0x00
	.equ	ID4, 0x0d
	.equ	ID5, 0xf0
	.equ	ID6, 0x05
	.equ	ID7, 0xb1

	.macro	mov32 reg, val
	movw	\reg, #:lower16:(\val)
	movt	\reg, #:upper16:(\val)
	.endm

	/* Start a check: sentinels in r0-r12 (call: bl from ARM, blx from Thumb). */
	.macro	begin call=bl
	\call	fill
	.endm

	/*
	 * End a check: report r0-r12 against what they must hold (unnamed
	 * registers keep their sentinel).
	 */
	.macro	check name, call=bl, r0=SENTINEL+0, r1=SENTINEL+1, r2=SENTINEL+2, \
		r3=SENTINEL+3, r4=SENTINEL+4, r5=SENTINEL+5, r6=SENTINEL+6, r7=SENTINEL+7, \
		r8=SENTINEL+8, r9=SENTINEL+9, r10=SENTINEL+10, r11=SENTINEL+11, \
		r12=SENTINEL+12
	.pushsection .rodata
	.balign	4
.Lexpect\@:
	.word	\r0, \r1, \r2, \r3, \r4, \r5, \r6, \r7, \r8, \r9, \r10, \r11, \r12
.Lname\@:
	.asciz	"\name"
	.popsection
	push	{r0-r12}
	mov32	r0, .Lname\@
	mov32	r1, .Lexpect\@
	\call	report
	add	sp, sp, #52
	.endm

	.text
	.global	_start
_start:
	armkvm_aware
	ldr	sp, =stack_top

	/* A32 single loads and stores. */
	begin
	mov32	r1, UID
	ldr	r2, [r1, #4]
	check	"a32 ldr [rn, #4]", bl, r1=UID, r2=ID1

	begin
	mov32	r1, UID
	ldrb	r2, [r1], #8
	check	"a32 ldrb [rn], #8", bl, r1=UID+8, r2=ID0

	begin
	mov32	r1, UID
	mov	r3, #0x14
	ldrsb	r2, [r1, r3]!
	check	"a32 ldrsb [rn, rm]!", bl, r1=UID+0x14, r2=0xfffffff0, r3=0x14

	begin
	mov32	r1, UID+0x20
	mov	r3, #1
	ldr	r2, [r1, -r3, lsl #2]
	check	"a32 ldr [rn, -rm, lsl #2]", bl, r1=UID+0x20, r2=ID7, r3=1

	begin
	mov32	r1, PRIO
	mov32	r2, 0x44332211
	mov	r3, #1
	str	r2, [r1, r3, lsl #2]
	ldr	r4, [r1, #4]
	check	"a32 str [rn, rm, lsl #2]", bl, r1=PRIO, r2=0x44332211, r3=1, r4=0x44332211

	begin
	mov32	r1, PRIO
	mov32	r2, 0xcafe80fe
	mov	r3, #0x7f
	strh	r2, [r1]
	strb	r3, [r1, #2]!
	ldrsh	r4, [r1, #-2]
	ldrh	r5, [r1, #-2]
	ldrsb	r6, [r1], #-1
	ldrsb	r7, [r1]
	ldrb	r8, [r1]
	check	"a32 strh, strb [rn, #2]!, ldrsh, ldrh, ldrsb [rn], #-1, ldrb", bl, r1=PRIO+1, \
		r2=0xcafe80fe, r3=0x7f, r4=0xffff80fe, r5=0x80fe, r6=0x7f, r7=0xffffff80, \
		r8=0x80

	/* A32 LDRD/STRD: two exits each. */
	begin
	mov32	r1, UID
	ldrd	r2, r3, [r1, #8]!
	check	"a32 ldrd [rn, #8]!", bl, r1=UID+8, r2=ID2, r3=ID3

	begin
	mov32	r1, UID+0x10
	mov	r6, #0x10
	ldrd	r4, r5, [r1], -r6
	check	"a32 ldrd [rn], -rm", bl, r1=UID, r4=ID4, r5=ID5, r6=0x10

	begin
	mov32	r1, UID+0x10
	mov	r6, #8
	ldrd	r10, r11, [r1, r6]
	check	"a32 ldrd [rn, rm]", bl, r1=UID+0x10, r6=8, r10=ID6, r11=ID7

	begin
	mov32	r1, PRIO+8
	mov32	r2, 0x01020304
	mov32	r3, 0x05060708
	strd	r2, r3, [r1, #-8]!
	ldr	r4, [r1]
	ldr	r5, [r1, #4]
	check	"a32 strd [rn, #-8]!", bl, r1=PRIO, r2=0x01020304, r3=0x05060708, \
		r4=0x01020304, r5=0x05060708

	begin
	mov32	r1, PRIO
	mov	r6, #8
	mov32	r8, 0x11223344
	mov32	r9, 0x55667788
	strd	r8, r9, [r1], r6
	ldr	r4, [r1, #-8]
	ldr	r5, [r1, #-4]
	check	"a32 strd [rn], rm", bl, r1=PRIO+8, r4=0x11223344, r5=0x55667788, r6=8, \
		r8=0x11223344, r9=0x55667788

	/* A32 LDM/STM: one exit per register. */
	begin
	mov32	r0, UID+0x10
	ldmia	r0, {r1-r4}
	check	"a32 ldmia", bl, r0=UID+0x10, r1=ID4, r2=ID5, r3=ID6, r4=ID7

	begin
	mov32	r0, UID+0x0c
	ldmib	r0!, {r2, r5, r7, r9}
	check	"a32 ldmib!", bl, r0=UID+0x1c, r2=ID4, r5=ID5, r7=ID6, r9=ID7

	begin
	mov32	r0, UID+0x1c
	ldmda	r0, {r1-r4}
	check	"a32 ldmda", bl, r0=UID+0x1c, r1=ID4, r2=ID5, r3=ID6, r4=ID7

	begin
	mov32	r0, UID+0x20
	ldmdb	r0!, {r3, r4, r8, r12}
	check	"a32 ldmdb!", bl, r0=UID+0x10, r3=ID4, r4=ID5, r8=ID6, r12=ID7

	begin
	mov32	r1, UID
	ldmia	r1, {r0-r3}
	check	"a32 ldmia loading its base", bl, r0=ID0, r1=ID1, r2=ID2, r3=ID3

	begin
	mov32	r0, PRIO
	mov32	r9, PRIO
	mov32	r1, 0x81828384
	mov32	r2, 0x85868788
	mov32	r3, 0x898a8b8c
	mov32	r4, 0x8d8e8f90
	stmia	r0!, {r1-r4}
	ldr	r5, [r9]
	ldr	r6, [r9, #4]
	ldr	r7, [r9, #8]
	ldr	r8, [r9, #12]
	check	"a32 stmia!", bl, r0=PRIO+16, r1=0x81828384, r2=0x85868788, r3=0x898a8b8c, \
		r4=0x8d8e8f90, r5=0x81828384, r6=0x85868788, r7=0x898a8b8c, r8=0x8d8e8f90, \
		r9=PRIO

	begin
	mov32	r0, PRIO
	mov32	r9, PRIO
	mov32	r2, 0x12345678
	mov32	r4, 0x9abcdef0
	mov32	r10, 0x0f1e2d3c
	mov32	r11, 0x4b5a6978
	stmib	r0, {r2, r4, r10, r11}
	ldr	r5, [r9, #4]
	ldr	r6, [r9, #8]
	ldr	r7, [r9, #12]
	ldr	r8, [r9, #16]
	check	"a32 stmib", bl, r0=PRIO, r2=0x12345678, r4=0x9abcdef0, r5=0x12345678, \
		r6=0x9abcdef0, r7=0x0f1e2d3c, r8=0x4b5a6978, r9=PRIO, r10=0x0f1e2d3c, \
		r11=0x4b5a6978

	begin
	mov32	r0, PRIO+12
	mov32	r9, PRIO
	mov32	r1, 0xa0a1a2a3
	mov32	r3, 0xb0b1b2b3
	mov32	r12, 0xc0c1c2c3
	stmda	r0!, {r1, r3, r12}
	ldr	r5, [r9, #4]
	ldr	r6, [r9, #8]
	ldr	r7, [r9, #12]
	check	"a32 stmda!", bl, r0=PRIO, r1=0xa0a1a2a3, r3=0xb0b1b2b3, r5=0xa0a1a2a3, \
		r6=0xb0b1b2b3, r7=0xc0c1c2c3, r9=PRIO, r12=0xc0c1c2c3

	begin
	mov32	r0, PRIO+16
	mov32	r9, PRIO
	mov32	r1, 0xd0d1d2d3
	mov32	r2, 0xe0e1e2e3
	stmdb	r0!, {r1, r2}
	ldr	r5, [r9, #8]
	ldr	r6, [r9, #12]
	check	"a32 stmdb!", bl, r0=PRIO+8, r1=0xd0d1d2d3, r2=0xe0e1e2e3, r5=0xd0d1d2d3, \
		r6=0xe0e1e2e3, r9=PRIO

	blx	thumb_checks

	/* The verdict. */
	ldr	r0, =msg_prefix
	bl	puts
	ldr	r4, =counts
	ldr	r0, [r4]
	bl	putdec
	ldr	r0, =msg_checks
	bl	puts
	ldr	r0, [r4, #4]
	bl	putdec
	ldr	r0, =msg_failed
	bl	puts
	power_off

/* r0-r12 = SENTINEL + N. */
	.type	fill, %function
fill:
	ldr	r12, =sentinels
	ldmia	r12, {r0-r12}
	bx	lr

/* Print the character in r0. Clobbers r1, r2. */
putc:
	ldr	r1, =UART_BASE
1:	ldr	r2, [r1, #UART_FR]
	tst	r2, #UART_FR_TXFF
	bne	1b
	str	r0, [r1, #UART_DR]
	bx	lr

/* Print r0 as 8 hex digits. Clobbers r0-r3. */
puthex:
	push	{r4, r5, lr}
	mov	r4, r0
	mov	r5, #28
1:	lsr	r0, r4, r5
	and	r0, r0, #0xf
	cmp	r0, #10
	addlo	r0, r0, #'0'
	addhs	r0, r0, #'a' - 10
	bl	putc
	subs	r5, r5, #4
	bpl	1b
	pop	{r4, r5, pc}

/* Print r0 (< 100) in decimal. Clobbers r0-r3. */
putdec:
	push	{r4, lr}
	mov	r4, r0
	mov	r0, #'0'
1:	cmp	r4, #10
	subhs	r4, r4, #10
	addhs	r0, r0, #1
	bhs	1b
	cmp	r0, #'0'
	blne	putc
	add	r0, r4, #'0'
	bl	putc
	pop	{r4, pc}

/*
 * r0: the check's name, r1: the 13 words r0-r12 should hold, [sp]: what they
 * hold. Prints "name: rN=value ..." for every register that is not, or should
 * not be, its sentinel, then "ok" or "BAD"; counts checks and failures.
 */
	.type	report, %function
report:
	push	{r4-r9, lr}
	add	r5, sp, #28			@ the registers pushed by the check
	mov	r4, r1
	mov	r9, r0
	adr	r0, msg_prefix
	bl	puts
	mov	r0, r9
	bl	puts
	mov	r0, #':'
	bl	putc
	mov	r6, #0				@ register number
	mov	r7, #0				@ registers that are wrong
1:	ldr	r8, [r5, r6, lsl #2]
	ldr	r9, [r4, r6, lsl #2]
	ldr	r0, =SENTINEL
	orr	r0, r0, r6
	cmp	r8, r0
	cmpeq	r9, r0
	beq	3f				@ untouched, as it should be
	mov	r0, #' '
	bl	putc
	mov	r0, #'r'
	bl	putc
	cmp	r6, #10
	movhs	r0, #'1'
	blhs	putc
	cmp	r6, #10
	subhs	r0, r6, #10
	movlo	r0, r6
	add	r0, r0, #'0'
	bl	putc
	mov	r0, #'='
	bl	putc
	mov	r0, r8
	bl	puthex
	cmp	r8, r9
	beq	3f
	add	r7, r7, #1
	adr	r0, msg_want
	bl	puts
	mov	r0, r9
	bl	puthex
	mov	r0, #')'
	bl	putc
3:	add	r6, r6, #1
	cmp	r6, #13
	blo	1b
	cmp	r7, #0
	adreq	r0, msg_ok
	adrne	r0, msg_bad
	bl	puts
	ldr	r0, =counts
	ldr	r1, [r0]
	add	r1, r1, #1
	str	r1, [r0]
	cmp	r7, #0
	ldrne	r1, [r0, #4]
	addne	r1, r1, #1
	strne	r1, [r0, #4]
	pop	{r4-r9, pc}

	define_puts
	.ltorg
msg_prefix:	.asciz	"armkvm-guest mmio-forms: "
msg_want:	.asciz	" (want "
msg_ok:		.asciz	" ok\n"
msg_bad:	.asciz	" BAD\n"
msg_checks:	.asciz	" checks, "
msg_failed:	.asciz	" failed\n"
	.balign	4
sentinels:
	.word	SENTINEL+0, SENTINEL+1, SENTINEL+2, SENTINEL+3, SENTINEL+4, SENTINEL+5
	.word	SENTINEL+6, SENTINEL+7, SENTINEL+8, SENTINEL+9, SENTINEL+10, SENTINEL+11
	.word	SENTINEL+12
counts:	.word	0, 0				@ checks, failures
saved_sp:
	.word	0

/* The Thumb forms: entered with blx, returns with bx lr. */
	.thumb
	.balign	4
	.type	thumb_checks, %function
	.thumb_func
thumb_checks:
	push	{r4, lr}

	/* 16-bit forms (low registers). */
	begin	blx
	mov32	r1, UID
	ldr	r2, [r1, #4]
	ldrb	r3, [r1, #8]
	ldrh	r4, [r1, #28]
	check	"t16 ldr, ldrb, ldrh [rn, #imm]", blx, r1=UID, r2=ID1, r3=ID2, r4=ID7

	begin	blx
	mov32	r1, PRIO
	movs	r7, #0
	str	r7, [r1]
	mov32	r2, 0x31323334
	str	r2, [r1, #4]
	movw	r3, #0x4142
	strh	r3, [r1, #2]
	movs	r4, #0x55
	strb	r4, [r1, #1]
	ldr	r5, [r1]
	ldr	r6, [r1, #4]
	check	"t16 str, strh, strb [rn, #imm]", blx, r1=PRIO, r2=0x31323334, r3=0x4142, \
		r4=0x55, r5=0x41425500, r6=0x31323334, r7=0

	begin	blx
	mov32	r1, UID
	movs	r3, #0x14
	movs	r4, #0x1c
	ldr	r2, [r1, r3]
	ldrb	r5, [r1, r4]
	ldrsb	r6, [r1, r3]
	ldrh	r7, [r1, r4]
	check	"t16 ldr, ldrb, ldrsb, ldrh [rn, rm]", blx, r1=UID, r2=ID5, r3=0x14, r4=0x1c, \
		r5=ID7, r6=0xfffffff0, r7=ID7

	begin	blx
	mov32	r1, PRIO
	movs	r3, #8
	movs	r4, #12
	movs	r2, #0
	str	r2, [r1, r3]
	mov32	r5, 0xc0c1c2c3
	strh	r5, [r1, r3]
	movs	r6, #0x99
	strb	r6, [r1, r4]
	ldrsh	r7, [r1, r3]
	ldrsb	r0, [r1, r4]
	ldr	r2, [r1, r3]
	check	"t16 str, strh, strb, ldrsh, ldrsb, ldr [rn, rm]", blx, r0=0xffffff99, r1=PRIO, \
		r2=0x0000c2c3, r3=8, r4=12, r5=0xc0c1c2c3, r6=0x99, r7=0xffffc2c3

	begin	blx
	mov32	r7, saved_sp
	str	sp, [r7]
	mov32	r0, UID
	mov	sp, r0
	ldr	r2, [sp, #16]
	mov32	r0, PRIO
	mov	sp, r0
	mov32	r3, 0x6789abcd
	str	r3, [sp, #8]
	ldr	sp, [r7]
	ldr	r4, [r0, #8]
	check	"t16 ldr, str [sp, #imm]", blx, r0=PRIO, r2=ID4, r3=0x6789abcd, r4=0x6789abcd, \
		r7=saved_sp

	begin	blx
	mov32	r0, UID+0x10
	ldmia	r0!, {r1, r2, r4}
	check	"t16 ldmia!", blx, r0=UID+0x1c, r1=ID4, r2=ID5, r4=ID6

	begin	blx
	mov32	r1, UID
	ldmia	r1, {r0, r1, r3}
	check	"t16 ldmia loading its base", blx, r0=ID0, r1=ID1, r3=ID2

	begin	blx
	mov32	r0, PRIO
	mov32	r4, PRIO
	mov32	r1, 0x71727374
	mov32	r2, 0x75767778
	mov32	r3, 0x797a7b7c
	stmia	r0!, {r1, r2, r3}
	ldr	r5, [r4]
	ldr	r6, [r4, #4]
	ldr	r7, [r4, #8]
	check	"t16 stmia!", blx, r0=PRIO+12, r1=0x71727374, r2=0x75767778, r3=0x797a7b7c, \
		r4=PRIO, r5=0x71727374, r6=0x75767778, r7=0x797a7b7c

	/* 32-bit forms. */
	begin	blx
	mov32	r1, UID & ~0xfff
	add	r2, r1, #0x1000
	ldr.w	r8, [r1, #0xfe4]
	ldrb.w	r9, [r1, #0xff4]
	ldrsb.w	r10, [r1, #0xff4]
	ldrsh.w	r11, [r2, #-4]
	ldrh.w	r12, [r2, #-16]
	check	"t32 ldr, ldrb, ldrsb [rn, #imm12], ldrsh, ldrh [rn, #-imm8]", blx, \
		r1=UID & ~0xfff, r2=(UID & ~0xfff) + 0x1000, r8=ID1, r9=ID5, r10=0xfffffff0, \
		r11=ID7, r12=ID4

	begin	blx
	mov32	r1, UID
	ldr	r2, [r1, #4]!
	ldrb	r3, [r1], #16
	ldrsb	r4, [r1], #-8
	ldrh	r5, [r1, #4]!
	check	"t32 ldr [rn, #4]!, ldrb [rn], #16, ldrsb [rn], #-8, ldrh [rn, #4]!", blx, \
		r1=UID+0x10, r2=ID1, r3=ID1, r4=0xfffffff0, r5=ID4

	begin	blx
	mov32	r1, PRIO+16
	mov32	r2, PRIO
	movs	r12, #0
	str.w	r12, [r2, #4]
	mov32	r8, 0xd1d2d3d4
	movw	r9, #0xe1e2
	movs	r10, #0x7a
	movs	r11, #0x3c
	str.w	r8, [r1, #-16]
	strh	r9, [r1, #-12]!
	strb	r10, [r1], #1
	strb.w	r11, [r1, #1]
	ldr	r3, [r2]
	ldr	r4, [r2, #4]
	check	"t32 str [rn, #-16], strh [rn, #-12]!, strb [rn], #1, strb [rn, #1]", blx, \
		r1=PRIO+5, r2=PRIO, r3=0xd1d2d3d4, r4=0x003ce17a, r8=0xd1d2d3d4, r9=0xe1e2, \
		r10=0x7a, r11=0x3c, r12=0

	begin	blx
	mov32	r1, UID
	movs	r3, #2
	ldr.w	r9, [r1, r3, lsl #2]
	movs	r3, #5
	ldrsb.w	r10, [r1, r3, lsl #2]
	movs	r4, #0x1c
	ldrh.w	r11, [r1, r4]
	mov32	r2, PRIO
	movw	r5, #0x8180
	movs	r6, #0x10
	movs	r7, #1
	strh.w	r5, [r2, r6]
	ldrsh.w	r12, [r2, r6]
	strb.w	r5, [r2, r7, lsl #3]
	ldrsb.w	r8, [r2, r7, lsl #3]
	check	"t32 ldr, ldrsb, ldrh, strh, ldrsh, strb, ldrsb [rn, rm, lsl #n]", blx, r1=UID, \
		r2=PRIO, r3=5, r4=0x1c, r5=0x8180, r6=0x10, r7=1, r8=0xffffff80, r9=ID2, \
		r10=0xfffffff0, r11=ID7, r12=0xffff8180

	begin	blx
	mov32	r1, UID
	mov32	r6, UID+0x18
	mov32	r7, UID+0x18
	ldrd	r2, r5, [r1, #8]
	ldrd	r8, r3, [r6, #-8]!
	ldrd	r10, r4, [r7], #-8
	check	"t32 ldrd [rn, #8], [rn, #-8]!, [rn], #-8", blx, r1=UID, r2=ID2, r3=ID5, \
		r4=ID7, r5=ID3, r6=UID+0x10, r7=UID+0x10, r8=ID4, r10=ID6

	begin	blx
	mov32	r1, PRIO
	mov32	r2, PRIO+16
	mov32	r10, 0x0a0b0c0d
	mov32	r11, 0x1a1b1c1d
	mov32	r12, 0x2a2b2c2d
	mov32	r0, 0x3a3b3c3d
	strd	r10, r11, [r1, #8]!
	strd	r12, r0, [r2], #-16
	ldr	r3, [r1]
	ldr	r4, [r1, #4]
	ldr	r5, [r2, #16]
	ldr	r6, [r2, #20]
	check	"t32 strd [rn, #8]!, [rn], #-16", blx, r0=0x3a3b3c3d, r1=PRIO+8, r2=PRIO, \
		r3=0x0a0b0c0d, r4=0x1a1b1c1d, r5=0x2a2b2c2d, r6=0x3a3b3c3d, r10=0x0a0b0c0d, \
		r11=0x1a1b1c1d, r12=0x2a2b2c2d

	begin	blx
	mov32	r9, UID+0x10
	mov32	r10, UID+0x20
	mov32	r8, UID
	ldmia.w	r9, {r0, r2, r4, r11}
	ldmdb	r10!, {r1, r3, r5, r12}
	ldmia.w	r8!, {r6, r7}
	check	"t32 ldmia, ldmdb!, ldmia!", blx, r0=ID4, r1=ID4, r2=ID5, r3=ID5, r4=ID6, \
		r5=ID6, r6=ID0, r7=ID1, r8=UID+8, r9=UID+0x10, r10=UID+0x10, r11=ID7, r12=ID7

	begin	blx
	mov32	r10, PRIO+8
	mov32	r9, PRIO+8
	mov32	r11, PRIO
	mov32	r4, 0x61626364
	mov32	r5, 0x65666768
	mov32	r1, 0x696a6b6c
	mov32	r8, 0x6d6e6f70
	stmdb	r10!, {r4, r5}
	stmia.w	r9!, {r1, r8}
	ldr	r0, [r11]
	ldr	r2, [r11, #4]
	ldr	r3, [r11, #8]
	ldr	r6, [r11, #12]
	check	"t32 stmdb!, stmia!", blx, r0=0x61626364, r1=0x696a6b6c, r2=0x65666768, \
		r3=0x696a6b6c, r4=0x61626364, r5=0x65666768, r6=0x6d6e6f70, r8=0x6d6e6f70, \
		r9=PRIO+16, r10=PRIO, r11=PRIO

	/* In IT blocks: what follows a device access keeps its own condition. */
	begin	blx
	mov32	r1, UID
	cmp	r1, r1
	itet	eq
	ldreq	r2, [r1]
	movne	r3, #0x55
	ldrbeq	r4, [r1, #4]
	ite	ne
	movne	r5, #0x66
	ldreq.w	r6, [r1, #0x14]
	itte	eq
	ldreq	r7, [r1, #8]
	addeq	r7, r7, #1
	movne	r7, #0
	check	"t32 it blocks", blx, r1=UID, r2=ID0, r4=ID1, r6=ID5, r7=ID2+1

	pop	{r4, pc}
	.arm

	.balign	8
	.space	1024
stack_top:
